"""What kind of question is it? An intent classifier fitted on labelled example questions.

The labelled sets mark each question with its kind (``definition``, ``why``, ``numeric``,
``list``, ``who``, ``structure``, ``level`` ...). A multinomial logistic regression
(scikit-learn) over the question's sentence embedding learns them, so no phrasing rule
decides what a question asks for. The composer never branches on the predicted kind: the
probabilities enter the sentence ranker as interactions with what a candidate is ("a
definition passage" x P(definition)), and the ranker's fitted weights decide how much they
count.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from assistant.learn.linear import Linear, Named

INTENTS = ("definition", "why", "fact", "numeric", "howto", "list", "who", "structure", "level", "compare_levels")


class Intent(Named):
    """P(kind | question embedding), in :data:`INTENTS` order."""

    KEY = "intents"
    NAMES = INTENTS

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        p = self.model.predict_proba(np.atleast_2d(vectors))
        out = np.zeros((p.shape[0], len(INTENTS)))
        for j, name in enumerate(self.model.classes):
            out[:, INTENTS.index(name)] = p[:, j]
        return out


def uniform(n: int = 1) -> np.ndarray:
    """The probabilities when no intent model is fitted: every kind alike."""
    return np.full((n, len(INTENTS)), 1.0 / len(INTENTS))


def labelled(items: list[dict[str, Any]]) -> list[int]:
    """Indices of the items whose ``kind`` is an intent (follow-ups and cross-document items are not)."""
    return [n for n, item in enumerate(items) if item.get("kind") in INTENTS]


def fit_intent(vectors: np.ndarray, kinds: list[str]) -> Intent:
    """Regularisation chosen by cross-validation on log loss; classes weighted to their frequency."""
    return Intent(Linear.fit(vectors, kinds, c=None))


def cross_fitted(vectors: np.ndarray, kinds: list[str], groups: list[str], folds: int = 5) -> np.ndarray:
    """Out-of-fold probabilities for labelled questions (grouped k-fold), so that what learns from them
    (the ranker) sees the classifier as it is on questions it was not fitted on."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros((len(kinds), len(INTENTS)))
    for train, test in GroupKFold(min(folds, len(set(groups)))).split(vectors, groups=groups):
        part = fit_intent(vectors[train], [kinds[i] for i in train])
        out[test] = part.probabilities(vectors[test])
    return out
