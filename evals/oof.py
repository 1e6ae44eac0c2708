"""Out-of-fold answers: every learned part of ask refitted without the fold that is answered.

Answerable and out-of-scope questions of all given sets are split by grouped k-fold (a
conversation's follow-ups stay together); for each fold the sentence ranker and the in-scope
model are refitted on the other folds (``assistant.learn.fit``) and the fold's questions are
answered through the whole pipeline with them. The old composer (hand-set sentence weights,
phrasing rules and coverage threshold) answers every question in the same run as the
baseline. The answers and refusal tasks share one run (cached per sets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.learn.fit import ask_turns, conversation, ranker_data
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
    composer = assistant.grounded
    original = composer.scope, composer.ranker
    turns = ask_turns(assistant, items)
    features = [composer.features(t) if t is not None else None for t in turns]
    groups = [conversation(i) for i in items]
    owners, rx, ry = ranker_data(assistant, inside)
    owners_a, ry_a = np.array(owners), np.array(ry)
    try:
        composer.scope, composer.ranker = None, None  # the old composer
        for item in items:
            run.baseline[key(item)] = assistant.ask(item["question"], item.get("history"))
        for train, test in GroupKFold(FOLDS).split(np.zeros(len(items)), groups=groups):
            rows = [i for i in train if features[i] is not None]
            scope, _ = fit_scope(
                np.array([features[i] for i in rows]), [labels[i] for i in rows], [groups[i] for i in rows]
            )
            keep = np.isin(owners_a, [i for i in train if i < len(inside)])
            composer.ranker = fit_ranker(rx[keep], list(ry_a[keep]))
            run.thresholds.append(scope.threshold)
            composer.scope = scope
            for i in test:
                run.fitted[key(items[i])] = assistant.ask(items[i]["question"], items[i].get("history"))
                if features[i] is not None:
                    run.probability[key(items[i])] = scope.probability(features[i])
    finally:
        composer.scope, composer.ranker = original
    _CACHE[cache_key] = run
    return run
