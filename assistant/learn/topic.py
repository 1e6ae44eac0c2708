"""Is a question about procurement at all? A topic classifier for the guard's polite replies.

Some questions are plainly not for this assistant: a council service ("my bin wasn't
collected"), a live legal dispute, one council's prices, small talk. Each gets its own
reply (GOV.UK Chat's out-of-scope classes). Which class a question is in is learned, not
matched: a multinomial logistic regression (scikit-learn) over the question's sentence
embedding, fitted on labelled example questions (``topics.jsonl`` in the labelled sets), with the
answerable questions and the practice descriptions of the sets as procurement text. Its
threshold on P(procurement) is chosen out-of-fold (:func:`fit_topic`).

Procurement questions the guidance does not answer (thresholds, the Procurement Act's
details) are procurement: they pass the guard and the in-scope model declines them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.learn.linear import Linear, Named

PROCUREMENT = "procurement"
TOPICS = (PROCUREMENT, "council_service", "legal_dispute", "named_council_prices", "general_chat")
MAX_OFF_TOPIC_ERRORS = 0.01  # share of procurement questions the guard may take for off topic (out-of-fold)


@dataclass
class Topic(Named):
    """Off topic when P(procurement) is under ``threshold``; then the likeliest other class."""

    threshold: float
    KEY = "topics"
    NAMES = TOPICS
    EXTRA = ("threshold",)

    def off_topic(self, vector: np.ndarray) -> str | None:
        """The off-topic class of the question, or None when it is about procurement."""
        p = self.model.predict_proba(np.atleast_2d(vector))[0]
        classes = self.model.classes
        if p[classes.index(PROCUREMENT)] >= self.threshold:
            return None
        return max((c for c in classes if c != PROCUREMENT), key=lambda c: p[classes.index(c)])


def fit_topic(vectors: np.ndarray, topics: list[str], groups: list[str], folds: int = 5) -> tuple[Topic, list[str]]:
    """Fit on every example; the threshold is the 1st percentile of out-of-fold P(procurement) over the
    procurement examples (grouped k-fold), so about 1 in 100 procurement questions is taken for off topic.
    Returns the classifier and every example's out-of-fold verdict (its class, or procurement)."""
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
    return Topic(Linear.fit(vectors, topics, c=None), threshold), verdicts


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
