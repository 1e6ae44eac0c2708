"""Assess: which key area and maturity level does a described practice match?

Works with no language model, from the structured maturity model. Evidence is combined:

- key area: similarity of the practice to each area's own texts (name, aliases, description,
  help, descriptors), keyword (BM25) match to the same texts, and areas named outright;
- level, within the area: similarity to that area's five descriptors, similarity to the same
  level's descriptors in every other area (the generic wording of a level), and the ordinal
  cues that run through every ladder (``corpus/maturity_cues.yaml``).

Scores are standardised across the five levels before they are combined, so a weight means
the same in every area. ``evals/maturity`` measures each combination against the plain
"cosine to the nearest descriptor" baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import yaml

from assistant.ask.guard import clean, is_manipulation
from assistant.ask.language import find_areas
from assistant.ask.types import Citation
from assistant.retrieval import tokenize
from ingest.maturity import Area, MaturityModel
from ingest.text import normalise

IGNORED = "The description included an instruction about the outcome; it was ignored and only the evidence assessed."

# One question per pair of adjacent levels: the thing that tells them apart on every ladder.
DECIDING_QUESTION = {
    ("Minimum", "Developing"): "Has the council started to act on this (for example a pilot, or a few key "
    "contracts), or does it still do only what compliance requires?",
    (
        "Developing",
        "Mature",
    ): "Is this done only in a few contracts or projects, or proactively across the whole council?",
    ("Mature", "Leader"): "Is it written into the corporate strategy or policy as the council's normal way of working?",
    ("Leader", "Innovator"): "Is it done with a combined authority, a group of councils or at regional or national "
    "level, or reported as a core metric against targets?",
}


@dataclass(frozen=True)
class Weights:
    """How much each piece of evidence counts (see README: measured on the dev set)."""

    area_dense: float = 0.6
    area_bm25: float = 0.4
    area_named: float = 0.25
    level_own: float = 1.0
    level_generic: float = 1.0
    level_cues: float = 1.0


@dataclass
class AssessResult:
    key_area: str | None
    level: str | None
    confidence: float
    rationale: str
    alternatives: list[tuple[str, str, float]] = field(default_factory=list)
    next_level: dict[str, Any] | None = None
    citations: list[Citation] = field(default_factory=list)
    second_key_area: str | None = None
    vague: bool = False
    question: str | None = None  # the one question that would decide a vague case
    notice: str | None = None
    theme: str | None = None

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        out = asdict(self)
        out["alternatives"] = [list(a) for a in self.alternatives]
        return out


def _cue_pattern(cue: str) -> re.Pattern[str]:
    """A cue phrase (matched at a word start) or, after 're:', a regular expression."""
    if cue.startswith("re:"):
        return re.compile(cue[3:].strip())
    return re.compile(rf"(?<![a-z]){re.escape(normalise(cue))}")


def _z(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values)


def _softmax(values: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    e = np.exp((values - values.max()) / temperature)
    return e / e.sum()


class Assessor:
    def __init__(self, model: MaturityModel, embed: Any, cues_path: Path, cite: Any, weights: Weights | None = None):
        self.model = model
        self.embed = embed
        self.cite = cite  # (area, level, kind, n) -> Citation | None
        self.weights = weights or Weights()
        self.levels = list(model.levels)
        cues = yaml.safe_load(cues_path.read_text(encoding="utf-8"))["levels"] if cues_path.exists() else {}
        self.cues = {lv: [_cue_pattern(c) for c in cues.get(lv, [])] for lv in self.levels}
        # descriptor vectors: areas x levels x dim
        texts = [a.levels[lv] for a in model.areas for lv in self.levels]
        self.descriptors = self.embed(texts).reshape(len(model.areas), len(self.levels), -1)
        self.profiles = [self._profile(a) for a in model.areas]
        self.profile_vectors = [self.embed(p) for p in self.profiles]
        self.bm25 = bm25s.BM25()
        self.bm25.index(tokenize([" ".join(p) for p in self.profiles]), show_progress=False)

    @staticmethod
    def _profile(area: Area) -> list[str]:
        texts = [area.name, ", ".join(area.aliases), area.description, area.what_it_is, area.why_important]
        return [t for t in texts if t] + list(area.levels.values())

    # -- evidence -----------------------------------------------------------------------
    def area_scores(self, text: str, vector: np.ndarray) -> np.ndarray:
        dense = np.array([float(np.sort(v @ vector)[-2:].mean()) for v in self.profile_vectors])
        tokens = tokenize([text])[0]
        lexical = np.asarray(self.bm25.get_scores(tokens), dtype=float) if tokens else np.zeros(len(self.profiles))
        lexical = lexical / lexical.max() if lexical.max() > 0 else lexical
        named = np.zeros(len(self.model.areas))
        for rank, area in enumerate(find_areas(text, self.model)[:2]):
            named[self.model.areas.index(area)] = 1.0 if rank == 0 else 0.5
        w = self.weights
        return w.area_dense * dense + w.area_bm25 * lexical + w.area_named * named

    def cue_scores(self, text: str) -> tuple[np.ndarray, dict[str, list[str]]]:
        low = normalise(text)
        found = {lv: [m.group(0) for c in self.cues[lv] if (m := c.search(low))] for lv in self.levels}
        return np.array([len(found[lv]) for lv in self.levels], dtype=float), found

    def level_scores(
        self, area_index: int, vector: np.ndarray, text: str, weights: Weights | None = None
    ) -> np.ndarray:
        w = weights or self.weights
        own = self.descriptors[area_index] @ vector
        others = np.delete(self.descriptors, area_index, axis=0) @ vector  # (areas-1) x levels
        generic = others.mean(axis=0)
        cues, _ = self.cue_scores(text)
        return w.level_own * _z(own) + w.level_generic * _z(generic) + w.level_cues * cues

    def nearest_descriptor(self, text: str) -> tuple[str, str]:
        """The plain baseline: the single descriptor most similar to the text."""
        vector = self.embed([text])[0]
        sims = self.descriptors @ vector
        a, lv = np.unravel_index(int(np.argmax(sims)), sims.shape)
        return self.model.areas[int(a)].name, self.levels[int(lv)]

    # -- the assessment -----------------------------------------------------------------
    def assess(self, practice: str, key_area: str | None = None) -> AssessResult:
        text = clean(practice)
        notice = None
        parts = [s for s in re.split(r"(?<=[.!?;])\s+", text) if s.strip()]
        kept = [s for s in parts if not is_manipulation(s)]
        if len(kept) < len(parts):
            text, notice = " ".join(kept), IGNORED
        if len(re.findall(r"[A-Za-z]{3,}", text)) < 3:
            return AssessResult(
                None,
                None,
                0.0,
                "Please describe what the council does in a sentence or two, for "
                "example how it works with suppliers, councillors or local businesses.",
                vague=True,
                question="What does the council do today in this area?",
                notice=notice,
            )
        vector = self.embed([text])[0]
        area_scores = self.area_scores(text, vector)
        forced = self.model.area(key_area) if key_area else None
        order = np.argsort(-area_scores)
        best = self.model.areas.index(forced) if forced else int(order[0])
        area = self.model.areas[best]
        levels = self.level_scores(best, vector, text)
        probs = _softmax(levels, temperature=0.75)
        li = int(np.argmax(levels))
        level = self.levels[li]
        area_margin = float(area_scores[order[0]] - area_scores[order[1]]) if not forced else 1.0
        confidence = round(float(probs[li]) * (0.6 + 0.4 * min(1.0, area_margin / 0.15)), 3)

        alternatives = []
        for ai in order[:3]:
            lv_scores = self.level_scores(int(ai), vector, text)
            alternatives.append(
                (
                    self.model.areas[int(ai)].name,
                    self.levels[int(np.argmax(lv_scores))],
                    round(float(area_scores[ai]), 3),
                )
            )
        second = None
        if not forced:
            runner = self.model.areas[int(order[1])]
            named = {a.name for a in find_areas(text, self.model)}
            if area_scores[order[1]] >= 0.92 * area_scores[order[0]] and runner.name in named:
                second = runner.name

        ranked = np.argsort(-levels)
        vague = float(probs[li]) < 0.35 and abs(int(ranked[0]) - int(ranked[1])) == 1
        question = None
        if vague:
            pair = tuple(sorted((self.levels[int(ranked[0])], self.levels[int(ranked[1])]), key=self.levels.index))
            question = DECIDING_QUESTION.get(pair)
        _, found = self.cue_scores(text)
        citations, next_level = self._citations(area, level)
        return AssessResult(
            key_area=area.name,
            level=level,
            confidence=confidence,
            rationale=self._rationale(area, level, found[level]),
            alternatives=alternatives,
            next_level=next_level,
            citations=citations,
            second_key_area=second,
            vague=vague,
            question=question,
            notice=notice,
            theme=None if area.is_enabler else area.theme,
        )

    def _rationale(self, area: Area, level: str, cues: list[str]) -> str:
        i = self.levels.index(level)
        parts = [f"This matches {level} (level {i + 1} of 5) for {area.name}: “{area.levels[level]}” [1]"]
        if cues:
            parts.append(
                "Words in the description that mark this level: " + ", ".join(f"“{c}”" for c in cues[:4]) + "."
            )
        if i > 0:
            below = self.levels[i - 1]
            parts.append(f"It goes beyond {below} (“{area.levels[below]}”).")
        if i + 1 < len(self.levels):
            above = self.levels[i + 1]
            parts.append(f"It does not yet show {above}, which needs: “{area.levels[above]}” [2]")
        return " ".join(parts)

    def _citations(self, area: Area, level: str) -> tuple[list[Citation], dict[str, Any] | None]:
        citations = [c for c in [self.cite(area, level, "level", 1)] if c]
        i = self.levels.index(level)
        if i + 1 >= len(self.levels):
            return citations, None
        above = self.levels[i + 1]
        cite = self.cite(area, above, "level", 2)
        if cite:
            citations.append(cite)
        return citations, {"level": above, "descriptor": area.levels[above], "citation": cite}
