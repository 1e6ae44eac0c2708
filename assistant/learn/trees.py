"""Gradient-boosted trees for a binary label, fitted by scikit-learn and kept as plain data.

The answer ranker's features do not add up: a long list sentence that holds many asked words is
worth much when a list is asked for and little when one fact is, and a linear model can only trade
such readings off everywhere at once. Shallow boosted trees learn those conditions from the data.
What is saved is each tree's nodes (feature, threshold, children, leaf value), so loading needs only
numpy, and the file stays small; the number of trees is chosen by grouped cross-validation on log loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.learn.linear import _round, _sigmoid

DEPTH = 3  # splits per path: conditions of up to three readings at once
RATE = 0.1  # each tree's shrinkage
MOST_TREES = 300  # the largest number of trees the cross-validation considers
FOLDS = 5


@dataclass
class Tree:
    """One regression tree: node ``i`` splits on ``feature[i] <= threshold[i]`` (left) unless it is a leaf."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    leaf: np.ndarray

    def predict(self, x: np.ndarray, roots: np.ndarray | None = None) -> np.ndarray:
        """Each row's leaf value; with ``roots`` (several trees' nodes in one array), one row per root."""
        start = np.zeros(1, dtype=int) if roots is None else roots
        node = np.repeat(start[:, None], len(x), axis=1)
        rows = np.arange(len(x))
        while not self.leaf[node].all():
            go_left = x[rows, self.feature[node]] <= self.threshold[node]
            step = np.where(go_left, self.left[node], self.right[node])
            node = np.where(self.leaf[node], node, step)
        values = self.value[node]
        return values[0] if roots is None else values

    def to_dict(self) -> dict[str, Any]:
        return {
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),  # exact: a rounded split point moves rows across it
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "value": _round(self.value),
            "leaf": self.leaf.astype(int).tolist(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Tree:
        return cls(
            np.asarray(d["feature"], dtype=int),
            np.asarray(d["threshold"], dtype=float),
            np.asarray(d["left"], dtype=int),
            np.asarray(d["right"], dtype=int),
            np.asarray(d["value"], dtype=float),
            np.asarray(d["leaf"], dtype=bool),
        )


@dataclass
class Trees:
    """P(class "1") = sigmoid(baseline + the trees' sum): the same interface as :class:`~.linear.Linear`."""

    classes: list[str]
    baseline: float
    trees: list[Tree]

    def __post_init__(self) -> None:
        # every tree's nodes in one array, so prediction walks all the trees at once (a loop over the
        # trees took 2.5 ms for 40 candidates, on every answer)
        self._roots = np.cumsum([0] + [len(t.feature) for t in self.trees[:-1]])

        def joined(field: str) -> np.ndarray:
            moved = field in ("left", "right")  # a child is counted from its own tree's first node
            parts = zip(self.trees, self._roots, strict=True)
            return np.concatenate([getattr(t, field) + root if moved else getattr(t, field) for t, root in parts])

        self._flat = Tree(*(joined(f) for f in ("feature", "threshold", "left", "right", "value", "leaf")))

    def decision(self, x: np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(x, dtype=float))
        return self.baseline + self._flat.predict(x, self._roots).sum(axis=0)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        p = _sigmoid(self.decision(x))
        return np.stack([1 - p, p], axis=1)

    @classmethod
    def fit(cls, x: np.ndarray, y: list[int], groups: list[str] | None = None) -> Trees:
        """Boosted trees of depth :data:`DEPTH` (scikit-learn's ``HistGradientBoostingClassifier``), as many
        as give the least log loss on held-out groups (questions of one conversation stay in one fold)."""
        labels = np.asarray(y, dtype=int)
        n_trees = _best_count(x, labels, list(range(len(labels))) if groups is None else groups)
        model = _model(n_trees).fit(x, labels)
        predictors = [stage[0] for stage in model._predictors]  # one tree per stage for a binary label
        return cls(["0", "1"], float(np.ravel(model._baseline_prediction)[0]), [_tree(p.nodes) for p in predictors])

    def to_dict(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "baseline": float(f"{self.baseline:.6g}"),
            "trees": [t.to_dict() for t in self.trees],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Trees:
        return cls(list(d["classes"]), float(d["baseline"]), [Tree.from_dict(t) for t in d["trees"]])


def _model(n_trees: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_depth=DEPTH, learning_rate=RATE, max_iter=n_trees, early_stopping=False, random_state=0
    )


def _best_count(x: np.ndarray, y: np.ndarray, groups: list[str]) -> int:
    """The number of trees with the least mean held-out log loss over grouped folds."""
    from sklearn.metrics import log_loss
    from sklearn.model_selection import GroupKFold

    losses = np.zeros(MOST_TREES)
    for train, test in GroupKFold(min(FOLDS, len(set(groups)))).split(x, groups=groups):
        model = _model(MOST_TREES).fit(x[train], y[train])
        for k, proba in enumerate(model.staged_predict_proba(x[test])):
            losses[k] += log_loss(y[test], proba[:, 1], labels=[0, 1])
    return int(np.argmin(losses)) + 1


def _tree(nodes: np.ndarray) -> Tree:
    return Tree(
        nodes["feature_idx"].astype(int),
        nodes["num_threshold"].astype(float),
        nodes["left"].astype(int),
        nodes["right"].astype(int),
        nodes["value"].astype(float),
        nodes["is_leaf"].astype(bool),
    )
