"""Assess: which key area and maturity level does a described practice match?

Two small fitted models (``assistant.learn.assess_model``; parameters in
``corpus/fitted/assess.json``, made by ``procurement-assistant fit``) read evidence the
maturity model supplies: an area classifier, then an ordinal level model for that area.
Their probabilities are the confidence. When the result is not confident, it says so, shows
the two likeliest levels with the descriptors that separate them and asks the question that
would decide (``corpus/maturity_cues.yaml``). A description that fits no area well is not
placed, and a paragraph that covers several areas gets one result per area.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from assistant.ask.language import content_terms, find_areas
from assistant.learn import linear
from assistant.learn.assess_model import AssessModel, Evidence, Prediction, predict
from domain.maturity import Area, MaturityModel
from domain.safety import clean, strip_manipulation
from domain.text import sentences
from domain.types import Citation

IGNORED = "The description included an instruction about the outcome; it was ignored and only the evidence assessed."
TOO_LITTLE = (
    "Please describe what the council does in a sentence or two, for example how it works with "
    "suppliers, councillors or local businesses."
)
NOT_PLACED = (
    "This doesn't describe a procurement practice I can place on the strategy's maturity model. "
    "Describe what the council does today, for example how it works with suppliers, councillors or local businesses."
)


@dataclass
class AssessResult:
    key_area: str | None
    level: str | None
    confidence: float  # P(area) x P(level), out-of-fold calibrated models
    rationale: str
    alternatives: list[tuple[str, str, float]] = field(default_factory=list)  # (area, level, probability)
    next_level: dict[str, Any] | None = None
    citations: list[Citation] = field(default_factory=list)
    second_key_area: str | None = None
    vague: bool = False  # not confident: see ``between`` and ``question``
    question: str | None = None  # the one question that would decide
    notice: str | None = None
    theme: str | None = None
    between: list[dict[str, Any]] = field(default_factory=list)  # the two likeliest levels when unsure
    confident: bool = False
    level_probabilities: dict[str, float] = field(default_factory=dict)
    excerpt: str = ""  # the part of the description this result reads (several practices at once)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["alternatives"] = [list(a) for a in self.alternatives]
        return out


Cite = Callable[[Area, str, str, int], Citation | None]


def shared_words(text: str, descriptor: str) -> list[str]:
    """The user's own words whose stems the descriptor also uses, in the order the user wrote them."""
    theirs = set(content_terms(descriptor))
    out: list[str] = []
    for word in re.findall(r"[A-Za-z][A-Za-z'-]+", text):
        stems = content_terms(word)
        if stems and stems[0] in theirs and word.lower() not in (w.lower() for w in out):
            out.append(word)
    return out


def evidence_for(model: MaturityModel, embed: Any, cues_path: Path) -> Evidence:
    """The evidence both the assessor and ``fit`` read (descriptor vectors are embedded once)."""
    return Evidence(model, embed, cues_path, lambda text: find_areas(text, model))


class Assessor:
    def __init__(self, evidence: Evidence, cues_path: Path, cite: Cite, fitted_path: Path) -> None:
        self.model = evidence.model
        self.embed = evidence.embed
        self.cite = cite
        self.levels = list(self.model.levels)
        self.evidence = evidence
        data = linear.load(fitted_path)
        if data is None:
            raise FileNotFoundError(f"{fitted_path} is missing: run `procurement-assistant fit` to make it")
        self.fitted = AssessModel.from_dict(data)
        raw = yaml.safe_load(cues_path.read_text(encoding="utf-8")) if cues_path.exists() else {}
        self.deciding = {tuple(d["between"]): d["question"] for d in (raw or {}).get("deciding", [])}

    def nearest_descriptor(self, text: str) -> tuple[str, str]:
        """The plain baseline: the single descriptor most similar to the text."""
        sims = self.evidence.descriptors @ self.embed([text])[0]
        a, lv = np.unravel_index(int(np.argmax(sims)), sims.shape)
        return self.model.areas[int(a)].name, self.levels[int(lv)]

    def predict(self, text: str, key_area: str | None = None) -> Prediction:
        forced = self.model.area(key_area) if key_area else None
        index = self.model.areas.index(forced) if forced else None
        return predict(self.evidence, self.fitted, text, self.embed([text])[0], index)

    # -- the assessment -----------------------------------------------------------------
    def assess(self, practice: str, key_area: str | None = None) -> AssessResult:
        text, notice = self._screen(practice)
        if len(re.findall(r"[A-Za-z]{3,}", text)) < 3:
            return AssessResult(
                None,
                None,
                0.0,
                TOO_LITTLE,
                vague=True,
                notice=notice,
                question="What does the council do today in this area?",
            )
        pred = self.predict(text, key_area)
        if pred.fit < self.fitted.min_fit and not key_area:
            return AssessResult(
                None,
                None,
                0.0,
                NOT_PLACED,
                vague=True,
                notice=notice,
                question="What does the council do today, and in which area?",
            )
        return self._result(pred, text, notice, forced=bool(key_area))

    def assess_all(self, practice: str) -> list[AssessResult]:
        """One result per key area the description covers (a self-assessment paragraph often covers
        several): sentences are grouped by the area the model gives each with probability over the
        fitted cut-off (``AssessModel.split``), and each group is assessed on its own. One area, or none
        clear: one result."""
        text, notice = self._screen(practice)
        parts = sentences(text)
        if len(parts) < 2:
            return [self.assess(practice)]
        groups: dict[int, list[str]] = {}
        for part in parts:
            pred = self.predict(part)
            if pred.area_proba[pred.area_index] > self.fitted.split and pred.fit >= self.fitted.min_fit:
                groups.setdefault(pred.area_index, []).append(part)
        if len(groups) < 2:
            return [self.assess(practice)]
        results = []
        for index, group in groups.items():
            excerpt = " ".join(group)
            res = self._result(self.predict(excerpt, self.model.areas[index].name), excerpt, notice, forced=False)
            res.excerpt = excerpt
            results.append(res)
        return sorted(results, key=lambda r: -r.confidence)

    # -- pieces -------------------------------------------------------------------------
    @staticmethod
    def _screen(practice: str) -> tuple[str, str | None]:
        """Drop sentences that try to dictate the outcome ("rate us Innovator")."""
        text, dropped = strip_manipulation(clean(practice))
        return text, IGNORED if dropped else None

    def _result(self, pred: Prediction, text: str, notice: str | None, forced: bool) -> AssessResult:
        area = self.model.areas[pred.area_index]
        lp = pred.level_proba
        li = int(np.argmax(lp))
        level = self.levels[li]
        area_p = 1.0 if forced else float(pred.area_proba[pred.area_index])
        confidence = round(float(lp[li]) * area_p, 3)
        confident = confidence >= self.fitted.confident
        order = np.argsort(-pred.area_proba)
        alternatives = [
            (
                self.model.areas[int(i)].name,
                level if int(i) == pred.area_index else "",
                round(float(pred.area_proba[i]), 3),
            )
            for i in order[:3]
        ]
        runner = (
            self.model.areas[int(order[1])] if int(order[0]) == pred.area_index else self.model.areas[int(order[0])]
        )
        second = runner.name if not forced and pred.area_proba[self.model.areas.index(runner)] >= 0.25 else None
        between: list[dict[str, Any]] = []
        question = None
        if not confident:
            two = sorted(np.argsort(-lp)[:2].tolist())
            between = [
                {
                    "level": self.levels[i],
                    "probability": round(float(lp[i]), 3),
                    "descriptor": area.levels[self.levels[i]],
                }
                for i in two
            ]
            question = self.deciding.get((self.levels[two[0]], self.levels[two[1]])) if two[1] - two[0] == 1 else None
        citations, next_level = self._citations(area, level)
        return AssessResult(
            key_area=area.name,
            level=level,
            confidence=confidence,
            rationale=self._rationale(area, level, self.evidence.cue_hits(text)[level], text),
            alternatives=alternatives,
            next_level=next_level,
            citations=citations,
            second_key_area=second,
            vague=not confident,
            question=question,
            notice=notice,
            theme=None if area.is_enabler else area.theme,
            between=between,
            confident=confident,
            level_probabilities={lv: round(float(p), 3) for lv, p in zip(self.levels, lp, strict=True)},
            excerpt=text,
        )

    def _rationale(self, area: Area, level: str, cues: list[str], text: str = "") -> str:
        i = self.levels.index(level)
        n = len(self.levels)
        parts = [f"This matches {level} (level {i + 1} of {n}) for {area.name}: “{area.levels[level]}” [1]"]
        shared = shared_words(text, area.levels[level])
        if shared:
            parts.append(
                "Your description and that descriptor both say: " + ", ".join(f"“{w}”" for w in shared[:6]) + "."
            )
        if cues:
            parts.append(
                "Words in the description that mark this level: " + ", ".join(f"“{c}”" for c in cues[:4]) + "."
            )
        if i > 0:
            below = self.levels[i - 1]
            parts.append(f"It goes beyond {below} (“{area.levels[below]}”).")
        if i + 1 < n:
            above = self.levels[i + 1]
            parts.append(f"The next step up, {above}, needs: “{area.levels[above]}” [2]")
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
