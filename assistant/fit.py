"""``procurement-assistant fit``: fit every learned part on the labelled sets and save its parameters.

Each part has a ``fit_*`` function here that the evaluation also calls on the training folds
only, so the figures it reports are out-of-fold.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.learn import linear
from assistant.learn.assess_model import Design, Evidence, Example, descriptor_examples, fit_assess
from assistant.learn.data import read_items
from assistant.learn.fusion import fit_fusion
from assistant.learn.intent import Intent, cross_fitted, fit_intent, labelled
from assistant.learn.ranker import fit_ranker
from assistant.learn.scope import fit_scope
from assistant.learn.topic import Topic, fit_combined, fit_topic, topic_examples
from assistant.learn.trees import Trees
from domain.text import holds_phrase, normalise


def practice_examples(items: list[dict[str, Any]]) -> list[Example]:
    return [Example(i["practice"], i["key_area"], i["level"]) for i in items]


def cell(item: dict[str, Any]) -> str:
    """Maturity items are grouped by key area and level: paraphrases of one cell stay in one fold."""
    return f"{item['key_area']}|{item['level']}"


def fit_assessor(evidence: Evidence, items: list[dict[str, Any]]) -> tuple[Any, dict[str, Any]]:
    practices = Design.build(evidence, practice_examples(items))
    descriptors = Design.build(evidence, descriptor_examples(evidence.model))
    return fit_assess(evidence, practices, descriptors, [cell(i) for i in items])


def conversation(item: dict[str, Any]) -> str:
    """Questions are grouped by conversation: follow-ups of one history stay in one fold."""
    history = [h.get("content", "") for h in item.get("history", []) if h.get("role") == "user"]
    return f"conv:{history[0]}" if history else f"{item.get('_set', '')}:{item['id']}"


def ask_turns(assistant: Any, items: list[dict[str, Any]]) -> list[Any]:
    """Each question taken through guard, rephrase and retrieve (None where the guard settled it)."""
    from assistant.ask.pipeline import prepare

    return [prepare(assistant, item["question"], item.get("history")) for item in items]


def retrieved_again(assistant: Any, turns: list[Any]) -> list[Any]:
    """The same turns searched again with the retrieval as it is now (after the fusion was refitted):
    guard and rephrase do not depend on the fusion, so they are not run twice."""
    from assistant.ask.pipeline import retrieve

    return [retrieve(assistant, copy.copy(t)) if t is not None else None for t in turns]


def with_intents(assistant: Any, turns: list[Any], given: dict[int, np.ndarray] | None = None) -> list[Any]:
    """Copies of ``turns`` holding what each question asks for, as ``given`` says (out-of-fold intent probabilities
    by index) or else as the composer's intent classifier now reads it: what the fusion learns from and searches
    with (the turns were first searched with the classifier as it was before it was refitted)."""
    from assistant.ask.pipeline import read_intents

    out = []
    for n, turn in enumerate(turns):
        if turn is not None:
            turn = copy.copy(turn)
            turn.intents = (given or {}).get(n)
            read_intents(assistant, turn)
        out.append(turn)
    return out


def scope_data(
    assistant: Any,
    items: list[dict[str, Any]],
    labels: list[int],
    turns: list[Any],
    probs: dict[int, np.ndarray] | None = None,
) -> tuple[list[int], np.ndarray, list[int]]:
    """(item index per row, features, in-scope labels) for every question answered extractively, with what each
    turn holds of what is asked (:func:`with_intents`: out-of-fold readings for the questions the classifier
    learnt from); ``probs``: the ranker's out-of-fold candidate probabilities by item index
    (:func:`cross_fitted_probs`)."""
    owners, rows, marks = [], [], []
    for n, (label, turn) in enumerate(zip(labels, turns, strict=True)):
        features = assistant.grounded.features(turn, probs=(probs or {}).get(n)) if turn is not None else None
        if features is not None:
            owners.append(n)
            rows.append(features)
            marks.append(label)
    return owners, np.array(rows), marks


def answers_item(item: dict[str, Any], sentence: str, source: str) -> bool:
    """A candidate is a whole answer when it holds every required term of the item (one of each any-of
    group), or is part of the passage text the item's answer is quoted from. (Half the terms, the
    earlier label, taught the ranker to favour long list sentences that touch many questions a little.)"""
    groups = [[t] for t in item.get("must_include", [])] + list(item.get("any_of", []))
    if groups and all(any(holds_phrase(sentence, t) for t in g) for g in groups):
        return True
    quote = normalise(item.get("source_quote", ""))
    return bool(quote) and len(source) > 30 and normalise(source) in quote


def intent_data(assistant: Any, items: list[dict[str, Any]]) -> tuple[list[int], list[str], np.ndarray, list[str]]:
    """(item index, question, its embedding, kind) for the items labelled with an intent."""
    from assistant.ask.compose import split_context

    owners = labelled(items)
    questions = [split_context(items[n]["question"])[0] for n in owners]
    vectors = assistant.embedder.embed(questions) if questions else np.zeros((0, 0))
    return owners, questions, vectors, [items[n]["kind"] for n in owners]


def fit_intents(assistant: Any, items: list[dict[str, Any]]) -> tuple[Intent, dict[int, np.ndarray]]:
    """The intent classifier fitted on ``items``' labels, and for each labelled item its out-of-fold
    probabilities (what the ranker learns from; unlabelled items are read by the fitted classifier)."""
    owners, questions, vectors, kinds = intent_data(assistant, items)
    model = fit_intent(vectors, questions, kinds)
    oof = cross_fitted(vectors, questions, kinds, [conversation(items[n]) for n in owners])
    return model, dict(zip(owners, oof, strict=True))


def ranker_data(
    assistant: Any,
    items: list[dict[str, Any]],
    turns: list[Any] | None = None,
) -> tuple[list[int], np.ndarray, list[int]]:
    """(item index per row, candidate features, right-answer labels) for answerable questions, with what each
    turn holds of what is asked (:func:`with_intents`: out-of-fold readings for the questions the classifier
    learnt from)."""
    owners, rows, labels = [], [], []
    for n, (item, turn) in enumerate(zip(items, turns or ask_turns(assistant, items), strict=True)):
        found = assistant.grounded.ranked_candidates(turn) if turn is not None else None
        if found is None:
            continue
        _, candidates, x = found
        marks = [int(answers_item(item, c.text, c.source)) for c in candidates]
        if not any(marks):
            continue  # nothing right to learn from (a retrieval miss)
        owners += [n] * len(candidates)
        rows.append(x)
        labels += marks
    return owners, (np.vstack(rows) if rows else np.zeros((0, 0))), labels


def cross_fitted_probs(
    x: np.ndarray, y: list[int], owners: list[int], groups: list[str], folds: int = 5
) -> dict[int, np.ndarray]:
    """For each question the ranker learns from, its candidates' probabilities (in their order) from a
    ranker refitted without that question's fold (grouped k-fold): what the scope model sees for a new
    question."""
    from sklearn.model_selection import GroupKFold

    owned, labels = np.asarray(owners), np.asarray(y)
    found: dict[int, list[float]] = {}
    for train, test in GroupKFold(min(folds, len(set(groups)))).split(x, groups=groups):
        # the ranker's trees alone, as fit_ranker fits them: all the scope reads
        trees = Trees.fit(x[train], list(labels[train]), [groups[k] for k in train])
        probs = trees.predict_proba(x[test])[:, 1]
        for n, p in zip(owned[test], probs, strict=True):
            found.setdefault(int(n), []).append(float(p))
    return {n: np.array(p) for n, p in found.items()}


def is_answering_passage(item: dict[str, Any], document: str, text: str) -> bool:
    """The passage holds the item's quote (in its source document)."""
    quote = normalise(item.get("source_quote", ""))
    return bool(quote) and (not item.get("source_doc") or document == item["source_doc"]) and quote in normalise(text)


def fusion_data(
    assistant: Any, items: list[dict[str, Any]], turns: list[Any] | None = None
) -> tuple[list[int], np.ndarray, list[int], list[str]]:
    """(item index per row, candidate features, answering-passage labels, chunk ids) over each question's
    candidate pool, searched as the pipeline searches (standalone question and glossary terms)."""
    owners, rows, labels, ids = [], [], [], []
    searcher = assistant.searcher
    for n, (item, turn) in enumerate(zip(items, turns or ask_turns(assistant, items), strict=True)):
        if turn is None or not item.get("source_quote"):
            continue
        pool = searcher.pool(turn.query, assistant.settings.retrieval_k)
        marks = [int(is_answering_passage(item, e["metadata"].get("document", ""), e["text"])) for e in pool.values()]
        if not pool or not any(marks):
            continue
        owners += [n] * len(pool)
        rows.append(searcher.features(turn.query, pool, turn.intents))
        labels += marks
        ids += list(pool)
    return owners, (np.vstack(rows) if rows else np.zeros((0, 0))), labels, ids


@dataclass
class TopicFit:
    """The guard's topic classifier as fitted, with what its combination with the store learns from."""

    topic: Topic
    verdicts: list[str]  # each example's out-of-fold class
    topics: list[str]  # each example's label
    oof: np.ndarray  # each example's out-of-fold P(procurement)
    rows: list[tuple[str, str, dict[str, Any]]]
    groups: list[str]


def fit_topics(
    assistant: Any,
    labelled: list[dict[str, Any]],
    practices: list[dict[str, Any]],
    questions: list[dict[str, Any]],
    vectors: dict[str, np.ndarray] | None = None,
) -> TopicFit:
    """The topic classifier from the labelled topics, the practices and the answerable questions, grouped
    as everywhere else (conversation, maturity cell). ``vectors`` caches embeddings by text across calls
    (the evaluation refits once per fold)."""
    rows = topic_examples(labelled, practices, questions)
    cache = vectors if vectors is not None else {}
    missing = list(dict.fromkeys(text for text, _, _ in rows if text not in cache))
    if missing:
        cache.update(zip(missing, assistant.embedder.embed(missing), strict=True))
    x = np.stack([cache[text] for text, _, _ in rows])
    topics = [topic for _, topic, _ in rows]
    groups = [cell(item) if "practice" in item else conversation(item) for _, _, item in rows]
    topic, verdicts, oof = fit_topic(x, topics, groups)
    return TopicFit(topic, verdicts, topics, oof, rows, groups)


def fit_guard(assistant: Any, fitted: TopicFit) -> Topic:
    """The classifier combined with the store's reading (the in-scope probability of the answer it gives,
    with the assistant's current retrieval and scope model), fitted on the questions among the examples:
    the practice descriptions are statements, not questions put to the store."""
    asked = [k for k, (_, _, item) in enumerate(fitted.rows) if "practice" not in item]
    scope = np.array([assistant.in_scope_probability(fitted.rows[k][0]) for k in asked])
    topic, _ = fit_combined(
        fitted.topic,
        fitted.oof[asked],
        scope,
        [fitted.topics[k] for k in asked],
        [fitted.groups[k] for k in asked],
    )
    return topic


def fit_all(assistant: Any, data_dirs: list[Path], out_dir: Path) -> dict[str, Any]:
    """Fit the assessor (and the ask components) and write their JSON under ``out_dir``."""
    report: dict[str, Any] = {"sets": [str(d) for d in data_dirs]}
    items = read_items(data_dirs, "maturity.jsonl")
    model, info = fit_assessor(assistant.assessor_evidence, items)
    linear.save(out_dir / "assess.json", model.to_dict())
    report["assess"] = {"items": len(items), "confident_threshold": model.confident, "min_fit": model.min_fit, **info}
    questions = read_items(data_dirs, "questions.jsonl")
    topics = fit_topics(assistant, read_items(data_dirs, "topics.jsonl"), items, questions)
    assistant.__dict__["topic"] = topics.topic  # the guard below reads it (combined with the store at the end)
    right = [v == t for v, t in zip(topics.verdicts, topics.topics, strict=True)]
    report["topic"] = {
        "examples": len(right),
        "classifier_threshold": topics.topic.threshold,
        "classifier_oof_accuracy": round(float(np.mean(right)), 3),
    }
    outside = read_items(data_dirs, "out_of_scope.jsonl")
    asked = questions + outside
    turns = ask_turns(assistant, asked)  # guard and rephrase once; the pools below do not depend on the fusion
    intent, oof_intents = fit_intents(assistant, questions)  # first: the fusion reads what a question asks for
    linear.save(out_dir / "intent.json", intent.to_dict())
    assistant.grounded.intent = intent
    report["intent"] = {"questions": len(oof_intents), "kinds": intent.model.classes}
    turns = with_intents(assistant, turns, oof_intents)  # questions lead `asked`
    _, fx, fy, _ = fusion_data(assistant, questions, turns[: len(questions)])
    fusion = fit_fusion(fx, fy)
    linear.save(out_dir / "fusion.json", fusion.to_dict())
    assistant.searcher.fusion = fusion  # the ranker and scope below learn from what this retrieval finds
    report["fusion"] = {"candidates": len(fy), "answering": sum(fy)}
    turns = retrieved_again(assistant, turns)
    ranked, rx, ry = ranker_data(assistant, questions, turns[: len(questions)])
    ranked_groups = [conversation(questions[n]) for n in ranked]
    ranker = fit_ranker(rx, ry, ranked_groups)
    probs = cross_fitted_probs(rx, ry, ranked, ranked_groups)
    linear.save(out_dir / "ranker.json", ranker.to_dict())
    assistant.grounded.ranker = ranker  # the scope features are read the way the fitted composer reads them
    report["ranker"] = {"candidates": len(ry), "right": sum(ry)}
    labels = [1] * len(questions) + [0] * len(outside)
    owners, x, y = scope_data(assistant, asked, labels, turns, probs)  # questions lead `asked`
    scope, oof = fit_scope(x, y, [conversation(asked[n]) for n in owners])
    linear.save(out_dir / "scope.json", scope.to_dict())
    assistant.grounded.scope = scope  # the guard's combined model reads the store through it
    topic = fit_guard(assistant, topics)
    linear.save(out_dir / "topic.json", topic.to_dict())
    report["topic"]["combined"] = {k: getattr(topic, k) for k in Topic.EXTRA}
    outside = [p for p, v in zip(oof, y, strict=True) if v == 0]
    report["scope"] = {
        "in_scope": sum(y),
        "out_of_scope": len(outside),
        "threshold": scope.threshold,
        "oof_declined_at_threshold": round(float(np.mean([p < scope.threshold for p in outside])), 3)
        if outside
        else None,
    }
    return report
