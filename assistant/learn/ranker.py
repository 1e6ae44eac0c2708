"""Which candidate sentence answers the question? A fitted sentence ranker.

Each candidate (a sentence of a retrieved passage, or a statement of the maturity model's
structure) is described by how it meets the question, never by reading the question's
phrasing: similarity, IDF-weighted word overlap with what is asked and with its topic, where
its passage ranked, whether the passage is about the linked key area, what kind of passage it
is (definition, "why it is important", level descriptor, a list, a figure, a model statement),
and whether it opens with the question's own words (the shape of a definition).
A logistic regression (scikit-learn) fitted on labelled questions turns them into the chance
that the sentence holds the answer; the composer takes the best and adds others the model
rates more likely right than wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.learn.linear import Linear

FEATURES = (
    "similarity",
    "overlap_asked",
    "holds_every_asked_word",
    "overlap_topic",
    "passage_rank",
    "same_key_area",
    "is_list",
    "has_figure",
    "is_statement",
    "kind_definition",
    "kind_why",
    "kind_level",
    "opens_with_question_words",
    "words",
    "names_just_the_linked_theme",
)


@dataclass
class Ranker:
    model: Linear

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(x)[:, self.model.classes.index("1")]

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "model": self.model.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ranker:
        if list(d.get("features", [])) != list(FEATURES):
            raise ValueError("ranker.json was fitted on other features: run `procurement-assistant fit`")
        return cls(Linear.from_dict(d["model"]))


def fit_ranker(x: np.ndarray, y: list[int]) -> Ranker:
    return Ranker(Linear.fit(x, [str(v) for v in y], c=None))
