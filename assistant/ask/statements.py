"""Statements of the maturity model's structure, written from the model's data, for the composer.

Questions about the strategy's shape ("which key areas come under the leadership theme?",
"the five levels from lowest to highest", "is digital one of the key areas?") are answered by
the same ranking as every other question: these statements join the candidate sentences, each
citing the strategy's passages that hold what it says, and the fitted ranker chooses. No
phrasing rule decides that a question is about structure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from langchain_core.documents import Document

from domain.maturity import MaturityModel
from domain.text import normalise, number_word

Find = Callable[[dict[str, str]], list[Document]]


# The framing each statement puts before the model's own names. Verify strips these (and only
# these) before checking that the cited passages hold the rest, as it does for its other framings.
FRAMINGS = (
    r"The strategy's \w+ themes are",
    r"The [\w ]+ theme has \w+ key areas:",
    r"Beside the themes, the strategy has \w+ enablers that support every key area:",
    r"There are \w+ key areas across the \w+ themes:",
    r"The strategy describes each key area and enabler at \w+ maturity levels, from lowest to highest:",
    r"\w+ is (the lowest|the highest|level \d+) of the \w+ maturity levels, which from lowest to highest are",
    r"[\w ,()/-]+ is one of the \w+ enablers, not one of the key areas",
    r"[\w ,()/-]+ is a key area in the [\w ]+ theme",
)


@dataclass(frozen=True)
class Statement:
    text: str
    docs: tuple[Document, ...]  # the passages that hold what it says, cited together
    about: str = ""  # the one key area, enabler or level it is about ("" for the whole structure)
    # it ends with the list of names it sets out (the themes, a theme's key areas, the enablers, the levels): a
    # list, as a passage's bulleted one is, for the ranker's reading of a question that asks for one; where
    # one key area belongs is not
    is_list: bool = True


class Entry(NamedTuple):
    """A statement before its listing passages are chosen for the question: its slots become its citations."""

    text: str
    slots: tuple[Slot, ...]
    about: str = ""
    is_list: bool = True


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Listing:
    """Where a list of names is printed: every strategy passage that holds them all, shortest first."""

    def __init__(self, names: list[str], strategy: list[Document], normalised: list[str]) -> None:
        wanted = [normalise(n) for n in names]
        fits = [d for d, text in zip(strategy, normalised, strict=True) if all(w in text for w in wanted)]
        self.fits = sorted(fits, key=lambda d: len(d.page_content))
        self.ids = {d.metadata.get("id") for d in self.fits}

    def passages(self, retrieved: list[Document]) -> list[Document]:
        """Every passage that lists the names, at most :data:`MAX_LISTINGS`: those retrieved for the question
        in their order first, then the shortest. The strategy prints its themes and enablers in more than
        one place (the overview, the figure, the section on enablers); the answer cites each, so a reader
        finds the list wherever they remember it (and an evaluation quoting any of them finds it cited)."""
        found = [d for d in retrieved if d.metadata.get("id") in self.ids]
        seen = {d.metadata.get("id") for d in found}
        return (found + [d for d in self.fits if d.metadata.get("id") not in seen])[:MAX_LISTINGS]


Slot = Document | Listing | None
MAX_LISTINGS = 3  # passages cited for one list of names


class StatementBook:
    """The statements, worked out once per version of the store; per question only the cited listing
    passage is chosen (the retrieved one when it lists the names)."""

    def __init__(self, model: MaturityModel, find: Find) -> None:
        self.model = model
        self.find = find
        self._key: tuple = ()
        self._entries: list[Entry] = []

    def statements(self, retrieved: list[Document]) -> list[Statement]:
        strategy = self.find({})
        key = tuple(d.metadata.get("id") for d in strategy)
        if key != self._key:
            self._entries, self._key = list(_entries(self.model, self.find, strategy)), key
        out = []
        for text, slots, about, is_list in self._entries:
            found = [
                slot.passages(retrieved) if isinstance(slot, Listing) else [slot] if slot else [] for slot in slots
            ]
            if not found or not all(found):
                continue  # a slot with no passage: the statement cannot be cited
            cited = {id(d): d for docs in found for d in docs}  # each passage once
            out.append(Statement(text, tuple(cited.values()), about, is_list))
        return out


def model_statements(model: MaturityModel, find: Find, retrieved: list[Document]) -> list[Statement]:
    """Every statement, with its cited passages (worked out afresh; the composer keeps a StatementBook)."""
    return StatementBook(model, find).statements(retrieved)


def _entries(model: MaturityModel, find: Find, strategy: list[Document]) -> Iterator[Entry]:
    normalised = [normalise(d.page_content) for d in strategy]

    def listing(names: list[str]) -> Listing:
        return Listing(names, strategy, normalised)

    themes = list(model.themes)
    yield Entry(
        f"The strategy's {number_word(len(themes))} themes are {and_list([t.lower() for t in themes])}.",
        (listing(themes),),
    )

    def description(area: str) -> Document | None:
        found = find({"key_area": area, "kind": "description"}) or find({"key_area": area})
        return found[0] if found else None

    for theme, names in model.themes.items():
        # cited to the list that groups them and to each key area's own description, whose heading names the
        # theme (as where one key area belongs is): a reader of "which key areas sit under the commercial
        # theme?" goes on to read what each one is
        members = tuple(d for d in map(description, names) if d is not None)
        yield Entry(
            f"The {theme} theme has {number_word(len(names))} key areas: {and_list(names)}.",
            (listing(names), *members),
        )
    enablers = [a.name for a in model.enablers]
    if enablers:
        yield Entry(
            f"Beside the themes, the strategy has {number_word(len(enablers))} enablers that support every key area: "
            f"{and_list(enablers)}.",
            (listing(enablers),),
        )
    key_areas = [a.name for a in model.key_areas]
    yield Entry(
        f"There are {number_word(len(key_areas))} key areas across the {number_word(len(themes))} themes: "
        f"{and_list(key_areas)}.",
        tuple(listing(names) for names in model.themes.values()),
    )
    levels = list(model.levels)
    first = model.areas[0]

    def level_doc(level: str) -> Document | None:
        found = find({"key_area": first.name, "kind": "level", "level": level})
        return found[0] if found else None

    n = len(levels)
    ladder = tuple(level_doc(lv) for lv in levels)
    yield Entry(
        f"The strategy describes each key area and enabler at {number_word(n)} maturity levels, from lowest to "
        f"highest: {and_list(levels)}.",
        ladder,
    )
    for i, level in enumerate(levels):
        rank = "the lowest" if i == 0 else ("the highest" if i + 1 == n else f"level {i + 1}")
        yield Entry(
            f"{level} is {rank} of the {number_word(n)} maturity levels, which from lowest to highest are "
            f"{and_list(levels)}.",
            ladder,
            about=level,  # what one level is called: for a question that names it ("the top rung")
        )
    # where an area belongs: cited to the list that groups it (its theme's key areas, or the enablers)
    # and to the area's own description, whose heading names the theme
    for area in model.areas:
        desc = description(area.name)
        if desc is None:
            continue
        if area.is_enabler:
            yield Entry(
                f"{area.name} is one of the {number_word(len(enablers))} enablers, not one of the key areas.",
                (listing(enablers), desc),
                about=area.name,
                is_list=False,
            )
        else:
            yield Entry(
                f"{area.name} is a key area in the {area.theme} theme.",
                (listing(model.themes[area.theme]), desc),
                about=area.name,
                is_list=False,
            )
