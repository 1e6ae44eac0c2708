"""Out-of-fold answers: every learned part of ask refitted without the fold that is answered.

Answerable and out-of-scope questions of all given sets are split by grouped k-fold (a
conversation's follow-ups stay together); for each fold the intent classifier, the retrieval
fusion (which reads it), the sentence ranker, the in-scope model and the guard's topic classifier are
refitted on the other folds (``assistant.fit``) and the fold's questions are answered through
the whole pipeline with them. The old composer (hand-set sentence weights, phrasing rules and
coverage threshold, and the guard's old off-topic rules) answers every question in the same
run as the baseline. The answers and refusal tasks share
one run (cached per sets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.fit import (
    ask_turns,
    conversation,
    cross_fitted_probs,
    fit_guard,
    fit_intents,
    fit_topics,
    fusion_data,
    ranker_data,
    retrieved_again,
    scope_data,
    with_intents,
)
from assistant.learn.fusion import fit_fusion
from assistant.learn.ranker import fit_ranker
from assistant.learn.scope import fit_scope
from evals.common import read_sets

FOLDS = 5


@dataclass
class AskRun:
    inside: list[dict[str, Any]]
    outside: list[dict[str, Any]]
    fitted: dict[str, Any] = field(default_factory=dict)  # item key -> Answer, out-of-fold
    baseline: dict[str, Any] = field(default_factory=dict)  # item key -> Answer, coverage rule
    probability: dict[str, float] = field(default_factory=dict)  # out-of-fold in-scope probability
    thresholds: list[float] = field(default_factory=list)


def key(item: dict[str, Any]) -> str:
    return f"{item['_set']}:{item['id']}"


_CACHE: dict[tuple, AskRun] = {}


def _rekeyed(by_trained: dict[int, Any], trained: list[int], train: Any) -> dict[int, Any]:
    """Values keyed by position in ``trained`` (the fold's answerable items), keyed by position in ``train``."""
    by_item = {trained[k]: v for k, v in by_trained.items()}
    return {k: by_item[i] for k, i in enumerate(train) if i in by_item}


def ask_run(assistant: Any, data_dirs: list[Path]) -> AskRun:
    cache_key = (id(assistant), tuple(str(d) for d in data_dirs))
    if cache_key in _CACHE:
        return _CACHE[cache_key]
    from sklearn.model_selection import GroupKFold

    inside = read_sets(data_dirs, "questions.jsonl")
    outside = read_sets(data_dirs, "out_of_scope.jsonl")
    items = inside + outside
    labels = [1] * len(inside) + [0] * len(outside)
    run = AskRun(inside, outside)
    composer, searcher = assistant.grounded, assistant.searcher
    original = composer.scope, composer.ranker, searcher.fusion, composer.intent
    groups = [conversation(i) for i in items]
    topic = assistant.topic
    labelled, practices, vectors = read_sets(data_dirs, "topics.jsonl"), read_sets(data_dirs, "maturity.jsonl"), {}
    try:
        # the old composer, RRF and the old phrasing rules in the guard
        composer.scope, composer.ranker, searcher.fusion, composer.intent = None, None, None, None
        assistant.__dict__["topic"] = None
        for item in items:
            run.baseline[key(item)] = assistant.ask(item["question"], item.get("history"))
        # the topic classifier learns procurement from answerable questions: the turns below use the one fitted
        # on all of them (they feed only the training folds' data); each fold is asked with its own refit
        assistant.__dict__["topic"] = topic
        asked = ask_turns(assistant, items)  # guard and rephrase once; only retrieval changes with the fusion
        for train, test in GroupKFold(FOLDS).split(np.zeros(len(items)), groups=groups):
            trained = [i for i in train if i < len(inside)]
            train_items = [items[i] for i in trained]
            # what a question asks for first, then the retrieval that reads it: ranker and scope learn from what
            # this fold's fusion finds
            composer.intent, intents = fit_intents(assistant, train_items)
            fold = with_intents(assistant, asked, {trained[k]: v for k, v in intents.items()})
            owners_f, fx, fy, _ = fusion_data(assistant, inside, fold[: len(inside)])  # pools do not depend on it
            in_train = np.isin(owners_f, trained)
            searcher.fusion = fit_fusion(fx[in_train], list(np.array(fy)[in_train]))
            turns = retrieved_again(assistant, fold)
            ranked, rx, ry = ranker_data(assistant, train_items, [turns[i] for i in trained])
            ranked_groups = [groups[trained[k]] for k in ranked]
            composer.ranker = fit_ranker(rx, ry, ranked_groups)  # before the scope features, which read its mode
            probs = cross_fitted_probs(rx, ry, ranked, ranked_groups)
            rows, x, y = scope_data(
                assistant,
                [items[i] for i in train],
                [labels[i] for i in train],
                [turns[i] for i in train],
                _rekeyed(probs, trained, train),  # the ranker's out-of-fold candidate probabilities
            )
            scope, _ = fit_scope(x, y, [groups[train[k]] for k in rows])
            run.thresholds.append(scope.threshold)
            composer.scope = scope
            topics = fit_topics(assistant, labelled, practices, [items[i] for i in trained], vectors)
            assistant.__dict__["topic"] = fit_guard(assistant, topics)  # with this fold's retrieval and scope
            for i in test:
                run.fitted[key(items[i])] = assistant.ask(items[i]["question"], items[i].get("history"))
                f = composer.features(turns[i]) if turns[i] is not None else None
                if f is not None:
                    run.probability[key(items[i])] = scope.probability(f)
    finally:
        composer.scope, composer.ranker, searcher.fusion, composer.intent = original
        assistant.__dict__["topic"] = topic
    _CACHE[cache_key] = run
    return run
