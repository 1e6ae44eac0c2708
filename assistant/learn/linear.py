"""Linear models as data: multinomial and ordinal logistic regression, fitted by scikit-learn.

Why not pickle the estimator: the parameters are a few numbers a reviewer can read and diff,
they load with NumPy in any version, and nothing executable comes from a data file.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


# A feature whose spread is below this is float noise, not signal: all-MiniLM-L6-v2 leaves three of its
# 384 dimensions at about 1e-33 and 1e-8 for every text (float32 keeps about seven digits of values under 1).
# Standardised, such a dimension is blown up to unit spread and its coefficient multiplies noise by ~1e8,
# so a model fitted or read on another machine's floats says something else.
NOISE_SPREAD = 1e-6


def _standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, scale, kept): each feature's mean and spread, a spread of 1 where a feature has none
    above :data:`NOISE_SPREAD`, and which features have; a model gives the others no weight."""
    mean, spread = x.mean(axis=0), x.std(axis=0)
    kept = spread > NOISE_SPREAD
    return mean, np.where(kept, spread, 1.0), kept


def temperature(decisions: np.ndarray, truth: np.ndarray) -> float:
    """The divisor of a model's decision values that gives the lowest log loss on held-out examples
    (temperature scaling, Guo et al. 2017; scipy finds it). A shrunk discriminant that places 93 in 100
    practices in the right area still says 1.00 for nearly every one; scaled, its probabilities mean
    what they say."""
    from scipy.optimize import minimize_scalar

    def loss(log_t: float) -> float:
        return tempered_log_loss(decisions, truth, float(np.exp(log_t)))

    return round(float(np.exp(minimize_scalar(loss, bounds=(-3.0, 5.0), method="bounded").x)), 4)


def tempered_log_loss(decisions: np.ndarray, truth: np.ndarray, t: float = 1.0) -> float:
    """The mean log loss of softmax(decisions / ``t``) on the true classes (indices)."""
    z = decisions / t
    z = z - z.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(len(truth)), truth]))


@dataclass
class Linear:
    """Standardise, then a linear map: softmax over classes (or a sigmoid for two). A feature whose spread is
    float noise (:data:`NOISE_SPREAD`) gets no weight."""

    classes: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # classes x features (1 x features for a binary model)
    intercept: np.ndarray

    def decision(self, x: np.ndarray) -> np.ndarray:
        return ((np.atleast_2d(x) - self.mean) / self.scale) @ self.coef.T + self.intercept

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = self.decision(x)
        if len(self.classes) == 2 and z.shape[1] == 1:
            p = _sigmoid(z[:, 0])
            return np.stack([1 - p, p], axis=1)
        return _softmax(z)

    def predict(self, x: np.ndarray) -> list[str]:
        return [self.classes[i] for i in self.predict_proba(x).argmax(axis=1)]

    @classmethod
    def fit(
        cls,
        x: np.ndarray,
        y: list[str],
        c: float | None = 1.0,
        weight: np.ndarray | None = None,
        balanced: bool = True,
    ) -> Linear:
        """L2 logistic regression on standardised features (scikit-learn does the fitting).

        ``c=None`` chooses the regularisation by 5-fold cross-validation on log loss. ``balanced``
        weighs the classes equally; without it the probabilities keep the classes' base rates."""
        from sklearn.linear_model import LogisticRegression, LogisticRegressionCV

        mean, scale, kept = _standardiser(x)
        weights = "balanced" if balanced else None
        if c is None:
            lr = LogisticRegressionCV(
                Cs=[0.003, 0.01, 0.03, 0.1, 0.3, 1.0],
                cv=5,
                scoring="neg_log_loss",
                max_iter=3000,
                class_weight=weights,
            )
        else:
            lr = LogisticRegression(C=c, max_iter=3000, class_weight=weights)
        classes, codes = np.unique(np.asarray(y, dtype=str), return_inverse=True)  # integer labels for the CV
        with warnings.catch_warnings():  # scikit-learn 1.9 announces attribute changes we do not read
            warnings.simplefilter("ignore", FutureWarning)
            # a rare class (a handful of "who" questions) is in fewer folds than five: expected, not news
            warnings.filterwarnings("ignore", "The least populated class", UserWarning)
            lr.fit((x - mean) / scale * kept, codes, sample_weight=weight)
        return cls([str(classes[k]) for k in lr.classes_], mean, scale, lr.coef_ * kept, lr.intercept_)

    @classmethod
    def fit_discriminant(cls, x: np.ndarray, y: list[str]) -> Linear:
        """Linear discriminant analysis on standardised features, its covariance shrunk by Ledoit-Wolf
        (scikit-learn). One covariance shared by all classes suits many features and few examples per
        class; its decision is linear, so it is kept as the same coefficients and intercepts."""
        from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

        mean, scale, kept = _standardiser(x)
        lda = LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto").fit((x - mean) / scale * kept, np.asarray(y))
        return cls([str(k) for k in lda.classes_], mean, scale, lda.coef_ * kept, lda.intercept_)

    def tempered(self, t: float) -> Linear:
        """The same model with its decision values divided by ``t`` (same argmax, softer probabilities)."""
        return Linear(self.classes, self.mean, self.scale, self.coef / t, self.intercept / t)

    def to_dict(self) -> dict[str, Any]:
        return {
            "classes": self.classes,
            "mean": _round(self.mean),
            "scale": _round(self.scale),
            "coef": _round(self.coef),
            "intercept": _round(self.intercept),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Linear:
        return cls(
            list(d["classes"]),
            np.asarray(d["mean"], dtype=float),
            np.asarray(d["scale"], dtype=float),
            np.atleast_2d(np.asarray(d["coef"], dtype=float)),
            np.atleast_1d(np.asarray(d["intercept"], dtype=float)),
        )


@dataclass
class Ordinal:
    """Ordered classes as K-1 binary models "above step k" (Frank and Hall, 2001).

    The steps share the ordering, so evidence for "beyond Developing" also counts against
    Minimum; P(level = k) = P(> k-1) - P(> k), made monotone before differencing.
    """

    classes: list[str]
    steps: list[Linear]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        above = np.stack([m.predict_proba(x)[:, 1] for m in self.steps], axis=1)  # n x K-1
        above = np.minimum.accumulate(above, axis=1)  # P(>k) cannot rise with k
        upper = np.hstack([np.ones((above.shape[0], 1)), above])
        lower = np.hstack([above, np.zeros((above.shape[0], 1))])
        p = np.clip(upper - lower, 1e-6, None)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, x: np.ndarray) -> list[str]:
        return [self.classes[i] for i in self.predict_proba(x).argmax(axis=1)]

    @classmethod
    def fit(cls, x: np.ndarray, y: list[str], classes: list[str], c: float = 1.0) -> Ordinal:
        rank = np.array([classes.index(v) for v in y])
        steps = [Linear.fit(x, [str(int(r > k)) for r in rank], c) for k in range(len(classes) - 1)]
        return cls(list(classes), steps)

    def to_dict(self) -> dict[str, Any]:
        return {"classes": self.classes, "steps": [s.to_dict() for s in self.steps]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ordinal:
        return cls(list(d["classes"]), [Linear.from_dict(s) for s in d["steps"]])


@dataclass
class Named:
    """A fitted linear model saved with the names of what it was fitted on (its features, or its
    classes), so a file fitted on others is refused (``ValueError``) instead of silently misread.
    Subclasses set ``KEY`` (what the names are of), ``NAMES``, and any float fields in ``EXTRA``."""

    model: Linear
    KEY: ClassVar[str] = "features"
    NAMES: ClassVar[tuple[str, ...]] = ()
    EXTRA: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        return {self.KEY: list(self.NAMES), "model": self.model.to_dict(), **{k: getattr(self, k) for k in self.EXTRA}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Any:
        if list(d.get(cls.KEY, [])) != list(cls.NAMES) or any(k not in d for k in cls.EXTRA):
            raise ValueError(f"{cls.__name__} was fitted on other {cls.KEY}: run `procurement-assistant fit`")
        return cls(Linear.from_dict(d["model"]), *(float(d[k]) for k in cls.EXTRA))


class FeatureModel(Named):
    """A binary linear model over named features: P(label 1)."""

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return self.model.predict_proba(x)[:, self.model.classes.index("1")]

    @classmethod
    def fit(cls, x: np.ndarray, y: list[int]) -> Any:
        """Logistic regression with the regularisation chosen by cross-validation."""
        return cls(Linear.fit(x, [str(v) for v in y], c=None))


def _round(a: np.ndarray) -> Any:
    """Six significant digits: small scales must not round to zero."""
    return np.vectorize(lambda v: float(f"{v:.6g}"))(np.asarray(a, dtype=float)).tolist()


def save(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")


def load(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
