"""Is a question about procurement at all? A topic classifier for the guard's polite replies.

Some questions are plainly not for this assistant: a council service ("my bin wasn't
collected"), a live legal dispute, one council's prices, small talk. Each gets its own
reply (GOV.UK Chat's out-of-scope classes). Which class a question is in is learned, not
matched: a multinomial logistic regression (scikit-learn) over the question's sentence
embedding, fitted on labelled example questions (``topics.jsonl`` in the labelled sets), with the
answerable questions and the practice descriptions of the sets as procurement text. Its
threshold on P(procurement) is chosen out-of-fold (:func:`fit_topic`). The guard does not read it
alone: a second logistic regression combines it with how surely the store answers the question
(:func:`fit_combined`), so that what an uploaded document answers is procurement too.

Procurement questions the guidance does not answer (thresholds, the Procurement Act's
details) are procurement: they pass the guard and the in-scope model declines them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.learn.linear import Linear, Named

PROCUREMENT = "procurement"
TOPICS = (PROCUREMENT, "council_service", "legal_dispute", "named_council_prices", "general_chat")
MAX_OFF_TOPIC_ERRORS = 0.01  # share of procurement questions the guard may take for off topic (out-of-fold)


@dataclass
class Topic(Named):
    """Off topic when the combined P(procurement) is under ``threshold``; then the likeliest other class.

    Combined: a logistic regression over two readings, the embedding classifier's P(procurement)
    and the in-scope model's probability for the answer the store gives (:mod:`assistant.learn.scope`),
    each as log-odds. The embedding knows procurement as the bundled guidance's subjects: with a
    council's contract rules uploaded, "do we have to pay suppliers within 30 days?" read as a legal
    dispute (P(procurement) 0.35), although the rules answer it. The store's reading is asked for only
    when it could change the verdict. Until fitted, the weights (1, 0, 0) give the classifier alone."""

    threshold: float
    topic_weight: float = 1.0
    scope_weight: float = 0.0
    bias: float = 0.0
    KEY = "topics"
    NAMES = TOPICS
    EXTRA = ("threshold", "topic_weight", "scope_weight", "bias")

    def combined(self, topic: float, scope: float) -> float:
        """P(procurement) from both readings."""
        z = self.topic_weight * _logit(topic) + self.scope_weight * _logit(scope) + self.bias
        return float(1 / (1 + np.exp(-z)))

    def off_topic(self, vector: np.ndarray, in_scope: Callable[[], float] | None = None) -> str | None:
        """The off-topic class of the question, or None when it is about procurement. ``in_scope`` gives
        the store's reading; it is called only when the classifier's reading alone does not settle it."""
        p = self.model.predict_proba(np.atleast_2d(vector))[0]
        classes = self.model.classes
        topic = float(p[classes.index(PROCUREMENT)])
        unsure, sure = (self.combined(topic, s) >= self.threshold for s in (0.0, 1.0))  # the store's extremes
        if unsure == sure:  # settled whatever the store says
            procurement = sure
        else:
            procurement = in_scope is not None and self.combined(topic, in_scope()) >= self.threshold
        if procurement:
            return None
        return max((c for c in classes if c != PROCUREMENT), key=lambda c: p[classes.index(c)])


_EDGE = 1e-3  # log-odds of probabilities clipped to [0.001, 0.999]: about +-6.9


def _logit(p: float | np.ndarray) -> np.ndarray:
    q = np.clip(p, _EDGE, 1 - _EDGE)
    return np.log(q / (1 - q))


def fit_combined(
    topic: Topic, oof_topic: np.ndarray, scope: np.ndarray, topics: list[str], groups: list[str], folds: int = 5
) -> tuple[Topic, list[bool]]:
    """The combined model (scikit-learn logistic regression over both log-odds, on examples whose
    classifier reading is out-of-fold) and its threshold: the 1st percentile of its own out-of-fold
    probabilities over the procurement examples, as for the classifier alone. Returns the topic model
    with the combined weights, and each example's out-of-fold verdict (True: taken for procurement)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    x = np.column_stack([_logit(oof_topic), _logit(scope)])
    y = np.array([t == PROCUREMENT for t in topics])
    oof = np.zeros(len(y))
    for train, test in GroupKFold(folds).split(x, groups=groups):
        oof[test] = LogisticRegression().fit(x[train], y[train]).predict_proba(x[test])[:, 1]
    threshold = round(float(np.quantile(oof[y], MAX_OFF_TOPIC_ERRORS, method="lower")), 4)
    lr = LogisticRegression().fit(x, y)
    (tw, sw), bias = lr.coef_[0], lr.intercept_[0]
    fitted = Topic(topic.model, threshold, round(float(tw), 4), round(float(sw), 4), round(float(bias), 4))
    return fitted, [bool(p >= threshold) for p in oof]


def fit_topic(
    vectors: np.ndarray, topics: list[str], groups: list[str], folds: int = 5
) -> tuple[Topic, list[str], np.ndarray]:
    """Fit on every example; the threshold is the 1st percentile of out-of-fold P(procurement) over the
    procurement examples (grouped k-fold), so about 1 in 100 procurement questions is taken for off topic.
    Returns the classifier, every example's out-of-fold verdict (its class, or procurement) and its
    out-of-fold P(procurement) (what :func:`fit_combined` learns from)."""
    from sklearn.model_selection import GroupKFold

    proba = np.zeros(len(topics))
    parts = []
    for train, test in GroupKFold(folds).split(vectors, groups=groups):
        part = Linear.fit(vectors[train], [topics[i] for i in train], c=None)
        proba[test] = part.predict_proba(vectors[test])[:, part.classes.index(PROCUREMENT)]
        parts.append((part, test))
    ours = [p for p, t in zip(proba, topics, strict=True) if t == PROCUREMENT]
    threshold = round(float(np.quantile(ours, MAX_OFF_TOPIC_ERRORS, method="lower")), 4)
    verdicts = [""] * len(topics)
    for part, test in parts:
        fold = Topic(part, threshold)
        for i in test:
            verdicts[i] = fold.off_topic(vectors[i]) or PROCUREMENT
    return Topic(Linear.fit(vectors, topics, c=None), threshold), verdicts, proba


def topic_examples(
    labelled: list[dict[str, Any]], practices: list[dict[str, Any]], questions: list[dict[str, Any]]
) -> list[tuple[str, str, dict[str, Any]]]:
    """(text, topic, item) rows: the labelled example questions; the practice descriptions and the
    answerable questions (follow-ups too: "and when is it?" is a procurement question in its
    conversation) as procurement."""
    rows = [(q["question"], q["topic"], q) for q in labelled if q.get("topic") in TOPICS]
    rows += [(p["practice"], PROCUREMENT, p) for p in practices]
    rows += [(q["question"], PROCUREMENT, q) for q in questions]
    return rows
