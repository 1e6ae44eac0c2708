"""The kinds of question the intent classifier tells apart, and the kinds of passage that answer them.

Kept apart from :mod:`assistant.learn.intent` (which reads words with the retrieval's tokenizer) so that the
retrieval's fusion can read what a question asks for without importing the classifier.
"""

from __future__ import annotations

import numpy as np

INTENTS = ("definition", "why", "fact", "numeric", "howto", "list", "who", "structure", "level", "compare_levels")

# the kinds of passage that answer what a question asks for (the layout's labels, see ingest/chunking.py): a "why"
# question is answered by a key area's "why it is important" help text, a definition by its description or "what it
# is", a level question by a level descriptor. The retrieval's fusion reads P(the passage's kind is what is asked).
ANSWERED_BY: dict[str, tuple[str, ...]] = {
    "why": ("why_important",),
    "definition": ("what_it_is", "description"),
    "level": ("level",),
    "compare_levels": ("level",),
}


def asked_for(probabilities: np.ndarray, kind: str) -> float:
    """P(a passage of ``kind`` is the kind the question asks for), from the intent probabilities."""
    return float(sum(probabilities[INTENTS.index(i)] for i, kinds in ANSWERED_BY.items() if kind in kinds))


def uniform(n: int = 1) -> np.ndarray:
    """The probabilities when no intent model is fitted: every kind alike."""
    return np.full((n, len(INTENTS)), 1.0 / len(INTENTS))
