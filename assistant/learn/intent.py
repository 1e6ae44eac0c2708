"""What kind of question is it? An intent classifier fitted on labelled example questions.

The labelled sets mark each question with its kind (``definition``, ``why``, ``numeric``,
``list``, ``who``, ``structure``, ``level`` ...). A multinomial logistic regression
(scikit-learn) over the question's sentence embedding and its words (TF-IDF over the words of at
least two training questions: the embedding blurs "why" into "what", the words keep it) learns
them, so no phrasing rule decides what a question asks for; the regression weighs each word.
Out-of-fold accuracy 0.616 with the embedding alone, 0.665 with the words as well. The composer
never branches on the predicted kind: the probabilities enter the sentence ranker as interactions
with what a candidate is ("a definition passage" x P(definition)), and the ranker's fitted weights
decide how much they count.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from assistant.learn.kinds import INTENTS
from assistant.learn.linear import Linear, Named
from assistant.learn.words import Words


@dataclass
class Intent(Named):
    """P(kind | question embedding and words), in :data:`INTENTS` order."""

    words: Words | None = None
    KEY = "intents"
    NAMES = INTENTS

    def features(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        return self.words.beside(vectors, texts) if self.words is not None else np.atleast_2d(vectors)

    def probabilities(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        p = self.model.predict_proba(self.features(vectors, texts))
        out = np.zeros((p.shape[0], len(INTENTS)))
        for j, name in enumerate(self.model.classes):
            out[:, INTENTS.index(name)] = p[:, j]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "words": self.words.to_dict() if self.words is not None else None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Intent:
        return replace(super().from_dict(d), words=Words.from_dict(d["words"]) if d.get("words") else None)


def labelled(items: list[dict[str, Any]]) -> list[int]:
    """Indices of the items whose ``kind`` is an intent (follow-ups and cross-document items are not)."""
    return [n for n, item in enumerate(items) if item.get("kind") in INTENTS]


def fit_intent(vectors: np.ndarray, texts: list[str], kinds: list[str]) -> Intent:
    """Regularisation chosen by cross-validation on log loss; classes weighted to their frequency."""
    words = Words.fit(texts)
    return Intent(Linear.fit(words.beside(vectors, texts), kinds, c=None), words)


def cross_fitted(
    vectors: np.ndarray, texts: list[str], kinds: list[str], groups: list[str], folds: int = 5
) -> np.ndarray:
    """Out-of-fold probabilities for labelled questions (grouped k-fold), so that what learns from them
    (the ranker) sees the classifier as it is on questions it was not fitted on."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros((len(kinds), len(INTENTS)))
    for train, test in GroupKFold(min(folds, len(set(groups)))).split(vectors, groups=groups):
        part = fit_intent(vectors[train], [texts[i] for i in train], [kinds[i] for i in train])
        out[test] = part.probabilities(vectors[test], [texts[i] for i in test])
    return out
