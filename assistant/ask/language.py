"""Small language tools the stages share: content terms, key-area and level spotting, glossary.

All rule-based and data-driven (the maturity model and ``corpus/glossary.yaml``), so the
pipeline needs no language model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import yaml

from assistant.retrieval import Links, tokenize
from assistant.settings import PROJECT_ROOT
from domain.maturity import Area, MaturityModel
from domain.text import normalise

PROJECT_CORPUS = PROJECT_ROOT / "corpus"

# Words so common in this domain that they say nothing about what a question is after.
GENERIC = set(
    tokenize(
        [
            "procurement procure council councils local government authority authorities strategy strategies "
            "guidance national nps 2018 document say says said tell explain describe mean means meaning "
            "please thing things help know want need should could would can does do what why how who which "
            "when where about also according really lga stand stands look looks like count counts include "
            "includes kind kinds type types sort example examples ones one mean define defined defines definition"
        ]
    )[0]
)


def terms(text: str) -> list[str]:
    """Stemmed content words, stop words removed."""
    return tokenize([text])[0]


def content_terms(text: str) -> list[str]:
    return [t for t in terms(text) if t not in GENERIC]


@dataclass(frozen=True)
class Glossary:
    entries: list[dict]

    @classmethod
    def read(cls, path: Path) -> Glossary:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        return cls(list((data or {}).get("terms", [])))

    def matches(self, text: str) -> list[tuple[str, str]]:
        """(guidance term, everyday phrase) for each everyday phrase in ``text``."""
        low = normalise(text)
        out = []
        for entry in self.entries:
            for phrase in entry.get("search", []):
                if re.search(rf"(?<![a-z]){re.escape(normalise(phrase))}(?![a-z])", low):
                    out.append((entry["term"], phrase))
                    break
        return out

    def expansions(self, text: str) -> list[str]:
        """Guidance terms for everyday words in ``text`` ("tiny firms" -> "micro-business")."""
        return [term for term, _ in self.matches(text)]

    def found_in(self, text: str) -> list[dict]:
        """Entries whose term appears in ``text`` (for explaining acronyms)."""
        return [e for e in self.entries if re.search(rf"\b{re.escape(e['term'])}s?\b", text)]


@lru_cache(maxsize=8)
def glossary(corpus_dir: Path) -> Glossary:
    return Glossary.read(corpus_dir / "glossary.yaml")


@lru_cache(maxsize=512)
def name_pattern(label: str) -> re.Pattern[str]:
    """A name or alias as a whole phrase of normalised text, plural allowed: made once per label (every
    question reads all the model's names several times)."""
    return re.compile(rf"(?<![a-z0-9]){re.escape(normalise(label))}s?(?![a-z0-9])")


def find_areas(text: str, model: MaturityModel) -> list[Area]:
    """Areas named in ``text`` by name or alias, longest mention first; then those named by a word of their
    own before the kind of thing they are (:func:`_kind_mentions`)."""
    low = normalise(text)
    found: list[tuple[int, int, Area]] = []
    for area in model.areas:
        best = 0
        position = len(low)
        for label in (area.name, *area.aliases):
            match = name_pattern(label).search(low) or _shortened_match(label, low)
            if match and len(label) > best:
                best, position = len(label), match.start()
        if best:
            found.append((-best, position, area))
    named = [a for _, _, a in sorted(found, key=lambda x: (x[0], x[1]))]
    return named + [a for a in _kind_mentions(text, model) if a not in named]


_KIND_WORDS = {"enabler": "enabl", "key area": "area"}  # Area.kind -> the stem a mention of that kind ends in


def _kind_mentions(text: str, model: MaturityModel) -> list[Area]:
    """Areas named by a word only their name has, just before the kind of thing they are: "the talent
    enabler" (Developing talent), "the change enabler", "the risk key area", "the partners area". The
    word alone says too little ("talent in the organisation", "a change in strategy")."""
    words = [w for w in terms(text) if w != "key"]  # "the risk key area": "key" belongs to the kind
    own = _own_words(tuple(a.name for a in model.areas), tuple(model.levels))
    out: list[Area] = []
    for before, word in pairwise(words):
        out += [a for a in model.areas if _KIND_WORDS.get(a.kind) == word and before in own[a.name] and a not in out]
    return out


@lru_cache(maxsize=8)
def _own_words(names: tuple[str, ...], levels: tuple[str, ...]) -> dict[str, set[str]]:
    """:func:`distinctive_words` of the names, less the words that name a level: "talent" of Developing
    talent, "risk" of Managing strategic risk; not "strategic" (two names) nor "developing"."""
    level_words = set(terms(" ".join(levels)))
    return {n: w - level_words for n, w in distinctive_words(list(names)).items()}


@lru_cache(maxsize=512)
def _shortened(label: str) -> re.Pattern[str]:
    """A name of two or more words written with shortened words, in order: "digital tech" for "digital
    technology", "strategic supp" for "strategic suppliers" (each word at least its first four letters)."""
    words = normalise(label).split()
    if len(words) < 2:
        return re.compile(r"(?!x)x")  # one-word names only match whole: "direct" must not find "directors"
    parts = [re.escape(w[:4]) + "[a-z]*" if len(w) > 4 else re.escape(w) for w in words]
    return re.compile(r"(?<![a-z0-9])" + r"\s+".join(parts) + r"(?![a-z0-9])")


def _shortened_match(label: str, low: str) -> re.Match[str] | None:
    """A shortened mention whose every word is a shortening of the name's word ("tech" of "technology")
    or that word with one letter wrong ("embeding"), not another word that starts alike ("contracts" is not
    "contractors")."""
    words = normalise(label).split()
    for match in _shortened(label).finditer(low):
        if all(_abbreviates(typed, word) for typed, word in zip(match.group(0).split(), words, strict=False)):
            return match
    return None


def _abbreviates(typed: str, word: str) -> bool:
    if word.startswith(typed) or typed in (word, word + "s"):
        return True
    return len(typed) >= 5 and abs(len(typed) - len(word)) <= 1 and _one_edit(typed, word)


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one inserted, deleted or changed letter."""
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def strip_names(text: str, labels: Iterable[str]) -> str:
    """``text`` normalised, each of ``labels`` (names or aliases, in the order given) taken out as a phrase."""
    low = normalise(text)
    for label in labels:
        low = name_pattern(label).sub(" ", low)
    return low


def strip_area_names(text: str, model: MaturityModel) -> str:
    return strip_names(text, (label for area in model.areas for label in (area.name, *area.aliases)))


@dataclass(frozen=True)
class LevelVocabulary:
    """How people name levels and list items without naming them (``corpus/levels_vocabulary.yaml``)."""

    positions: dict[str, list[str]]
    up: list[str]
    down: list[str]
    ordinals: list[str]
    ordinal_last: list[str]
    next_to: dict[str, list[str]] = field(default_factory=dict)  # "after", "below": a step from the level they precede

    @classmethod
    def read(cls, path: Path) -> LevelVocabulary:
        data = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
        relative = data.get("relative", {})
        return cls(
            {k: list(v) for k, v in data.get("positions", {}).items()},
            list(relative.get("up", [])),
            list(relative.get("down", [])),
            list(data.get("ordinals", [])),
            list(data.get("ordinal_last", [])),
            {k: list(v) for k, v in data.get("next_to", {}).items()},
        )


@lru_cache(maxsize=8)
def level_vocabulary(corpus_dir: Path) -> LevelVocabulary:
    return LevelVocabulary.read(corpus_dir / "levels_vocabulary.yaml")


def _said(phrases: list[str], low: str) -> bool:
    return any(re.search(rf"(?<![a-z]){re.escape(normalise(p))}(?![a-z])", low) for p in phrases)


def named_levels(text: str, model: MaturityModel) -> list[str]:
    """The levels ``text`` names outright, lowest first ("how does Minimum compare with Mature?"); an area's
    own name does not count ("Developing talent" names no level)."""
    return _levels_in(strip_area_names(text, model), model)


def _levels_in(low: str, model: MaturityModel) -> list[str]:
    """The levels named in text already normalised with the areas' names taken out."""
    return [lv for lv in model.levels if re.search(rf"(?<![a-z]){re.escape(lv.lower())}(?![a-z])", low)]


def find_level(
    text: str, model: MaturityModel, current: str | None = None, vocabulary: LevelVocabulary | None = None
) -> str | None:
    """A level named outright ("Leader"), by position ("the gold standard", "bottom rung"), or relative
    to a level named beside it or the one in hand ("the one above minimum", "one step down")."""
    levels = list(model.levels)
    vocab = vocabulary or level_vocabulary(PROJECT_CORPUS)
    low = strip_area_names(text, model)
    named = next(iter(_levels_in(low, model)), None)
    for level in _levels_in(low, model):
        step = _step_next_to(level, low, vocab)
        if step:
            return levels[min(max(levels.index(level) + step, 0), len(levels) - 1)]
    anchor = named or (current if current in levels else None)
    if anchor is not None:
        i = levels.index(anchor)
        if _said(vocab.up, low):
            return levels[min(i + 1, len(levels) - 1)]
        if _said(vocab.down, low):
            return levels[max(i - 1, 0)]
    if named:
        return named
    for position, index in (("first", 0), ("last", len(levels) - 1), ("middle", len(levels) // 2)):
        if _said(vocab.positions.get(position, []), low):
            return levels[index]
    return None


def meant_words(text: str, model: MaturityModel, terms: Glossary, vocabulary: LevelVocabulary) -> list[str]:
    """Words a question means without writing them: the glossary's expansions of its terms, and the level it
    names by position, synonym or a step from a named one ("the gold standard": Innovator). Retrieval and
    the composer both read them, so the passage and the sentence that name that level meet the question."""
    level = find_level(text, model, vocabulary=vocabulary)
    unnamed = [level] if level is not None and level not in named_levels(text, model) else []
    return [*terms.expansions(text), *unnamed]


def _step_next_to(level: str, low: str, vocab: LevelVocabulary) -> int:
    """+1 or -1 when a word of ``next_to`` stands right before the level's name ("the one after developing"),
    else 0."""
    for direction, step in (("up", 1), ("down", -1)):
        for word in vocab.next_to.get(direction, []):
            if re.search(rf"(?<![a-z]){re.escape(normalise(word))} (?:the )?{re.escape(level.lower())}(?![a-z])", low):
                return step
    return 0


def ordinal(text: str, vocabulary: LevelVocabulary | None = None) -> int | None:
    """Which item of a list ``text`` points at ("the second one you listed" -> 1; "the last" -> -1)."""
    found = ordinal_reference(text, vocabulary)
    return found[0] if found else None


def ordinal_reference(text: str, vocabulary: LevelVocabulary | None = None) -> tuple[int, re.Match[str]] | None:
    """(item index, the words that point at it) in ``text``: "the last of those" -> (-1, that match)."""
    vocab = vocabulary or level_vocabulary(PROJECT_CORPUS)
    words = [(i, w) for i, w in enumerate(vocab.ordinals)] + [(-1, w) for w in vocab.ordinal_last]
    # "... you listed": the words that point back at the answer are part of the pointer, not of the question
    told = r"(?: (?:that |which )?you(?: just)? (?:listed|mentioned|named|gave|said))?"
    one = rf"(?:one|of (?:those|them|these)){told}"
    for i, word in words:
        match = re.search(
            rf"\bthe {word}(?: {one})?\b|\b{word} {one}\b",
            text,
            re.I,
        )
        if match:
            return i, match
    return None


def mentions_levels(text: str) -> bool:
    return bool(re.search(r"\b(levels|maturity|ladder|rungs|stages|steps)\b", text, re.I))


def distinctive_words(names: list[str]) -> dict[str, set[str]]:
    """Each name's words that no other name shares ("leadership", "commerci" for the themes)."""
    words = {n: set(content_terms(n)) for n in names}
    return {n: w - set().union(*(v for u, v in words.items() if u != n)) for n, w in words.items()}


class EntityLinker:
    """What a query names of the maturity model (areas by name or alias, a level by name or synonym,
    themes by their distinctive words), for the retrieval's fusion (``retrieval.Linker``)."""

    def __init__(self, model: MaturityModel) -> None:
        self.model = model
        self._theme_words = distinctive_words(list(model.themes))

    def __call__(self, query: str) -> Links:
        themes = self.themes(query)
        members = frozenset(area for theme in themes for area in self.model.themes[theme])
        return Links(
            frozenset(a.name for a in find_areas(query, self.model)), find_level(query, self.model), themes, members
        )

    def themes(self, query: str) -> frozenset[str]:
        """The themes whose distinctive words the query uses ("the leadership strand")."""
        asked = set(content_terms(query))
        return frozenset(t for t, w in self._theme_words.items() if w & asked)
