"""Statements of the maturity model's structure, written from the model's data, for the composer.

Questions about the strategy's shape ("which key areas come under the leadership theme?",
"the five levels from lowest to highest", "is digital one of the key areas?") are answered by
the same ranking as every other question: these statements join the candidate sentences, each
citing the strategy's passages that hold what it says, and the fitted ranker chooses. No
phrasing rule decides that a question is about structure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


def and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def listing_passage(names: list[str], retrieved: list[Document], strategy: list[Document]) -> Document | None:
    """The passage that lists every name: the best ranked for the question, else the shortest in the strategy."""
    wanted = [normalise(n) for n in names]
    for doc in retrieved:
        if all(w in normalise(doc.page_content) for w in wanted):
            return doc
    fits = [d for d in strategy if all(w in normalise(d.page_content) for w in wanted)]
    return min(fits, key=lambda d: len(d.page_content)) if fits else None


def model_statements(model: MaturityModel, find: Find, retrieved: list[Document]) -> list[Statement]:
    strategy = find({})
    out: list[Statement] = []

    def add(text: str, *docs: Document | None) -> None:
        if docs and all(d is not None for d in docs):
            out.append(Statement(text, tuple(d for d in docs if d is not None)))

    themes = list(model.themes)
    add(
        f"The strategy's {number_word(len(themes))} themes are {and_list([t.lower() for t in themes])}.",
        listing_passage(themes, retrieved, strategy),
    )
    for theme, names in model.themes.items():
        add(
            f"The {theme} theme has {number_word(len(names))} key areas: {and_list(names)}.",
            listing_passage(names, retrieved, strategy),
        )
    enablers = [a.name for a in model.enablers]
    if enablers:
        add(
            f"Beside the themes, the strategy has {number_word(len(enablers))} enablers that support every key area: "
            f"{and_list(enablers)}.",
            listing_passage(enablers, retrieved, strategy),
        )
    key_areas = [a.name for a in model.key_areas]
    by_theme = [listing_passage(names, retrieved, strategy) for names in model.themes.values()]
    add(
        f"There are {number_word(len(key_areas))} key areas across the {number_word(len(themes))} themes: "
        f"{and_list(key_areas)}.",
        *by_theme,
    )
    levels = list(model.levels)
    first = model.areas[0]

    def level_doc(level: str) -> Document | None:
        found = find({"key_area": first.name, "kind": "level", "level": level})
        return found[0] if found else None

    n = len(levels)
    add(
        f"The strategy describes each key area and enabler at {number_word(n)} maturity levels, from lowest to "
        f"highest: {and_list(levels)}.",
        *[level_doc(lv) for lv in levels],
    )
    for i, level in enumerate(levels):
        rank = "the lowest" if i == 0 else ("the highest" if i + 1 == n else f"level {i + 1}")
        add(
            f"{level} is {rank} of the {number_word(n)} maturity levels, which from lowest to highest are "
            f"{and_list(levels)}.",
            *[level_doc(lv) for lv in levels],
        )
    for area in model.areas:
        desc = find({"key_area": area.name, "kind": "description"}) or find({"key_area": area.name})
        if not desc:
            continue
        if area.is_enabler:
            add(f"{area.name} is one of the {number_word(len(enablers))} enablers, not one of the key areas.", desc[0])
        else:
            add(f"{area.name} is a key area in the {area.theme} theme.", desc[0])
    return out
