"""Understanding task, out-of-fold: what kind of question it is (intent), and whether it is about
procurement at all (the guard's topic classifier).

Intent: the classifier refitted without each fold (grouped by conversation), scored against the
items' ``kind`` labels, next to always guessing the commonest kind. Topic: every labelled example
(``topics.jsonl``, practices and answerable questions as procurement) predicted by the classifier
refitted without its fold, next to the old phrasing rules on the same examples. How the guard
then does on the answerable and out-of-scope questions is in the refusal task (it answers
through the whole pipeline).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from assistant.ask.guard import legacy_off_topic
from assistant.fit import conversation, fit_topics, intent_data
from assistant.learn.intent import INTENTS, cross_fitted
from assistant.learn.topic import PROCUREMENT, topic_examples
from evals.common import TaskResult, read_sets

CONFIG: dict[str, Any] = {}
_TOPIC_ONLY = {"off-topic caught": "", "procurement taken for off topic": ""}  # columns the intent rows lack


def _share(hits: list[bool]) -> float:
    return float(np.mean(hits)) if hits else 0.0


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    started = time.perf_counter()
    result = TaskResult("understanding")
    questions = read_sets(data_dirs, "questions.jsonl")
    owners, asked, vectors, kinds = intent_data(assistant, questions)
    oof = cross_fitted(vectors, asked, kinds, [conversation(questions[n]) for n in owners])
    predicted = [INTENTS[i] for i in oof.argmax(axis=1)]
    commonest = Counter(kinds).most_common(1)[0][0]
    intent = _share([p == k for p, k in zip(predicted, kinds, strict=True)])
    majority = _share([k == commonest for k in kinds])
    for name, share in (("intent classifier (out-of-fold)", intent), (f"baseline: always {commonest}", majority)):
        result.table.append({"system": name, "items": len(kinds), "accuracy": round(share, 3), **_TOPIC_ONLY})

    labelled, practices = read_sets(data_dirs, "topics.jsonl"), read_sets(data_dirs, "maturity.jsonl")
    fitted = fit_topics(assistant, labelled, practices, questions)
    verdicts, topics = fitted.verdicts, fitted.topics
    texts = [text for text, _, _ in topic_examples(labelled, practices, questions)]
    old = [legacy_off_topic(t) or PROCUREMENT for t in texts]
    ours = [i for i, t in enumerate(topics) if t == PROCUREMENT]
    others = [i for i, t in enumerate(topics) if t != PROCUREMENT]
    for name, guess in (("topic classifier alone (out-of-fold)", verdicts), ("baseline: old phrasing rules", old)):
        result.table.append(
            {
                "system": name,
                "items": len(topics),
                "accuracy": round(_share([g == t for g, t in zip(guess, topics, strict=True)]), 3),
                "off-topic caught": round(_share([guess[i] == topics[i] for i in others]), 3),
                "procurement taken for off topic": round(_share([guess[i] != PROCUREMENT for i in ours]), 3),
            }
        )
    result.metrics = {
        "intent_accuracy": intent,
        "intent_majority": majority,
        "topic_accuracy": _share([v == t for v, t in zip(verdicts, topics, strict=True)]),
        "max_topic_procurement_flagged": _share([verdicts[i] != PROCUREMENT for i in ours]),
    }
    for i, (v, t) in enumerate(zip(verdicts, topics, strict=True)):
        if v != t:
            result.failures.append({"example": texts[i][:120], "expected": t, "got": v})
    result.seconds = time.perf_counter() - started
    return result
