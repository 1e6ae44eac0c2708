"""How to merge the keyword and the dense ranking: a fitted fusion instead of a fixed formula.

Each passage in either retriever's candidates is described by its ranks and scores in both,
the kind of passage it is (a level descriptor, a key area's help text, prose), its length,
how many of the query's words name its document (title, publisher, date), so a question that
names the 2022 strategy or a council's rules finds that document's passages, and how well its
single best sentence meets the query (similarity, and IDF-weighted share of the query's
words): a question is usually answered by one sentence of a 1,200-character passage. A logistic
regression (scikit-learn) fitted on the labelled questions' answering passages orders them;
reciprocal rank fusion (k=60) is its baseline in the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.learn.linear import Linear

FEATURES = (
    "rrf",
    "bm25_reciprocal_rank",
    "dense_reciprocal_rank",
    "bm25_relative_score",
    "dense_score",
    "dense_gap_to_best",
    "kind_level",
    "kind_help",
    "kind_prose",
    "length",
    "names_its_document",
    "best_sentence_similarity",
    "best_sentence_overlap",
)


@dataclass
class Fusion:
    model: Linear

    def scores(self, x: np.ndarray) -> np.ndarray:
        return self.model.decision(x)[:, -1] if self.model.coef.shape[0] == 1 else self.model.predict_proba(x)[:, 1]

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "model": self.model.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fusion:
        if list(d.get("features", [])) != list(FEATURES):
            raise ValueError("fusion.json was fitted on other features: run `procurement-assistant fit`")
        return cls(Linear.from_dict(d["model"]))


def fit_fusion(x: np.ndarray, y: list[int]) -> Fusion:
    return Fusion(Linear.fit(x, [str(v) for v in y], c=None))
