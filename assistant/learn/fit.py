"""``procurement-assistant fit``: fit every learned part on the labelled sets and save its parameters.

Each part has a ``fit_*`` function here that the evaluation also calls on the training folds
only, so the figures it reports are out-of-fold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.learn import linear
from assistant.learn.assess_model import Design, Evidence, Example, descriptor_examples, fit_assess
from assistant.learn.data import read_items


def practice_examples(items: list[dict[str, Any]]) -> list[Example]:
    return [Example(i["practice"], i["key_area"], i["level"]) for i in items]


def cell(item: dict[str, Any]) -> str:
    """Maturity items are grouped by key area and level: paraphrases of one cell stay in one fold."""
    return f"{item['key_area']}|{item['level']}"


def fit_assessor(evidence: Evidence, items: list[dict[str, Any]]) -> tuple[Any, dict[str, Any]]:
    practices = Design.build(evidence, practice_examples(items))
    descriptors = Design.build(evidence, descriptor_examples(evidence.model))
    return fit_assess(evidence, practices, descriptors, [cell(i) for i in items])


def fit_all(assistant: Any, data_dirs: list[Path], out_dir: Path) -> dict[str, Any]:
    """Fit the assessor (and the ask components) and write their JSON under ``out_dir``."""
    report: dict[str, Any] = {"sets": [str(d) for d in data_dirs]}
    items = read_items(data_dirs, "maturity.jsonl")
    model, info = fit_assessor(assistant.assessor_evidence, items)
    linear.save(out_dir / "assess.json", model.to_dict())
    report["assess"] = {"items": len(items), "confident_threshold": model.confident, "min_fit": model.min_fit, **info}
    return report
