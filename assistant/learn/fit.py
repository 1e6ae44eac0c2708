"""``procurement-assistant fit``: fit every learned part on the labelled sets and save its parameters.

Each part has a ``fit_*`` function here that the evaluation also calls on the training folds
only, so the figures it reports are out-of-fold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from assistant.learn import linear
from assistant.learn.assess_model import Design, Evidence, Example, descriptor_examples, fit_assess
from assistant.learn.data import read_items
from assistant.learn.scope import fit_scope


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


def scope_data(assistant: Any, dirs: list[Path]) -> tuple[list[dict[str, Any]], np.ndarray, list[int]]:
    """(items, features, in-scope labels) for every question answered extractively."""
    inside = read_items(dirs, "questions.jsonl")
    outside = read_items(dirs, "out_of_scope.jsonl")
    items, rows, labels = [], [], []
    for label, group in ((1, inside), (0, outside)):
        for item, turn in zip(group, ask_turns(assistant, group), strict=True):
            features = assistant.grounded.features(turn) if turn is not None else None
            if features is not None:
                items.append(item)
                rows.append(features)
                labels.append(label)
    return items, np.array(rows), labels


def fit_all(assistant: Any, data_dirs: list[Path], out_dir: Path) -> dict[str, Any]:
    """Fit the assessor (and the ask components) and write their JSON under ``out_dir``."""
    report: dict[str, Any] = {"sets": [str(d) for d in data_dirs]}
    items = read_items(data_dirs, "maturity.jsonl")
    model, info = fit_assessor(assistant.assessor_evidence, items)
    linear.save(out_dir / "assess.json", model.to_dict())
    report["assess"] = {"items": len(items), "confident_threshold": model.confident, "min_fit": model.min_fit, **info}
    items, x, y = scope_data(assistant, data_dirs)
    scope, oof = fit_scope(x, y, [conversation(i) for i in items])
    linear.save(out_dir / "scope.json", scope.to_dict())
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
