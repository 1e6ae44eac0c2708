"""Small language tools the stages share: content terms, key-area and level spotting, glossary.

All rule-based and data-driven (the maturity model and ``corpus/glossary.yaml``), so the
pipeline needs no language model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.retrieval import tokenize
from domain.maturity import LEVELS, Area, MaturityModel
from domain.text import normalise

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


def _phrase(label: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(normalise(label))}s?(?![a-z0-9])")


def find_areas(text: str, model: MaturityModel) -> list[Area]:
    """Areas named in ``text`` by name or alias, longest mention first."""
    low = normalise(text)
    found: list[tuple[int, int, Area]] = []
    for area in model.areas:
        best = 0
        position = len(low)
        for label in (area.name, *area.aliases):
            match = _phrase(label).search(low)
            if match and len(label) > best:
                best, position = len(label), match.start()
        if best:
            found.append((-best, position, area))
    return [a for _, _, a in sorted(found, key=lambda x: (x[0], x[1]))]


def strip_area_names(text: str, model: MaturityModel) -> str:
    low = normalise(text)
    for area in model.areas:
        for label in (area.name, *area.aliases):
            low = _phrase(label).sub(" ", low)
    return low


_LEVEL_RE = re.compile(r"\b(minimum|developing|mature|leader|innovator)\b", re.I)
_NEXT = re.compile(
    r"\b(next (level|step|stage)|level above|(step|move|go) up|higher level|reach the next|one up)\b", re.I
)
_PREV = re.compile(r"\b(level below|previous level|lower level|(step|move|go) down|one down)\b", re.I)
_LOWEST = re.compile(r"\b(lowest|bottom|first|starting|entry)( level| rung| step)?\b|\bbasic level\b", re.I)
_HIGHEST = re.compile(r"\b(highest|top|most advanced|best|last|final)( level| rung| step)\b", re.I)


def find_level(text: str, model: MaturityModel, current: str | None = None) -> str | None:
    """A level named outright, or relative to ``current`` ("the next level up")."""
    plain = strip_area_names(text, model)
    match = _LEVEL_RE.search(plain)
    if match:
        return match.group(1).capitalize()
    if current in LEVELS:
        i = LEVELS.index(current)
        if _NEXT.search(text):
            return LEVELS[min(i + 1, len(LEVELS) - 1)]
        if _PREV.search(text):
            return LEVELS[max(i - 1, 0)]
    if _LOWEST.search(text) and re.search(r"\b(level|rung|step|stage)\b", text, re.I):
        return LEVELS[0]
    if _HIGHEST.search(text):
        return LEVELS[-1]
    return None


def mentions_levels(text: str) -> bool:
    return bool(re.search(r"\b(levels|maturity|ladder|rungs|stages|steps)\b", text, re.I))
