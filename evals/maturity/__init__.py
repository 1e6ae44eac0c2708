"""Maturity task: key-area, exact-level, within-one and joint accuracy against the baseline.

The baseline is "cosine to the nearest descriptor": the single level descriptor (of all 70)
most similar to the practice gives both area and level. Variants of the assessor's evidence
combination are measured in the same run, and a confusion matrix is saved as a PNG.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from evals.common import TaskResult, read_jsonl

CONFIG = {"confusion_png": "evals/reports/maturity_confusion.png"}


def _variants(base: Any) -> dict[str, Any]:
    return {
        "own descriptors only": replace(base, level_generic=0.0, level_cues=0.0),
        "+ generic level wording": replace(base, level_cues=0.0),
        "+ ordinal cues (no generic)": replace(base, level_generic=0.0),
        "full (assessor)": base,
    }


def _score(items: list[dict], predictions: list[tuple[str, str]], levels: list[str]) -> dict[str, float]:
    n = max(1, len(items))
    area = sum(p[0] == i["key_area"] for i, p in zip(items, predictions, strict=True)) / n
    exact = sum(p[1] == i["level"] for i, p in zip(items, predictions, strict=True)) / n
    within = (
        sum(abs(levels.index(p[1]) - levels.index(i["level"])) <= 1 for i, p in zip(items, predictions, strict=True))
        / n
    )
    joint = sum(p == (i["key_area"], i["level"]) for i, p in zip(items, predictions, strict=True)) / n
    return {"key_area": area, "exact_level": exact, "within_one": within, "joint": joint}


def _confusion(items: list[dict], predictions: list[tuple[str, str]], levels: list[str], path: Path) -> list[list[int]]:
    matrix = np.zeros((len(levels), len(levels)), dtype=int)
    for item, (_, level) in zip(items, predictions, strict=True):
        matrix[levels.index(item["level"]), levels.index(level)] += 1
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5, 4))
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(levels)), levels, rotation=30)
        ax.set_yticks(range(len(levels)), levels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("expected")
        for (r, c), v in np.ndenumerate(matrix):
            ax.text(c, r, str(v), ha="center", va="center")
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path)
        plt.close(fig)
    except ImportError:  # matplotlib is a test extra; the matrix is in the report either way
        pass
    return matrix.tolist()


def run(assistant: Any, data_dir: Path, cfg: dict[str, Any] | None = None) -> TaskResult:
    cfg = {**CONFIG, **(cfg or {})}
    started = time.perf_counter()
    items = read_jsonl(data_dir / "maturity.jsonl")
    result = TaskResult("maturity")
    if not items:
        return result
    assessor = assistant.assessor
    levels = list(assistant.maturity_model.levels)
    subsets = {"all": items, "no keyword": [i for i in items if i.get("no_keyword")]}

    baseline = [assessor.nearest_descriptor(i["practice"]) for i in items]
    systems: dict[str, list[tuple[str, str]]] = {"baseline: nearest descriptor": baseline}
    original = assessor.weights
    try:
        for name, weights in _variants(original).items():
            assessor.weights = weights
            preds = []
            for item in items:
                res = assessor.assess(item["practice"])
                preds.append((res.key_area, res.level))
            systems[name] = preds
    finally:
        assessor.weights = original
    final = systems["full (assessor)"]
    for name, preds in systems.items():
        for subset, subset_items in subsets.items():
            if not subset_items:
                continue
            chosen = [preds[items.index(i)] for i in subset_items]
            scores = _score(subset_items, chosen, levels)
            result.table.append(
                {"system": name, "items": subset, "n": len(subset_items), **{k: round(v, 3) for k, v in scores.items()}}
            )
    result.metrics = _score(items, final, levels)
    no_kw = subsets["no keyword"]
    if no_kw:
        nk = _score(no_kw, [final[items.index(i)] for i in no_kw], levels)
        result.metrics.update({f"no_keyword_{k}": v for k, v in nk.items()})
    base = _score(items, baseline, levels)
    result.metrics.update({f"baseline_{k}": v for k, v in base.items()})
    matrix = _confusion(items, final, levels, Path(cfg["confusion_png"]))
    result.notes.append(
        "Confusion matrix (rows expected, columns predicted; "
        + ", ".join(levels)
        + "): "
        + "; ".join(" ".join(f"{v:2d}" for v in row) for row in matrix)
    )
    per_area = Counter()
    per_area_ok = Counter()
    for item, pred in zip(items, final, strict=True):
        per_area[item["key_area"]] += 1
        per_area_ok[item["key_area"]] += pred == (item["key_area"], item["level"])
    result.notes.append(
        "Per area (joint correct/total): " + "; ".join(f"{a} {per_area_ok[a]}/{n}" for a, n in per_area.items())
    )
    for item, pred in zip(items, final, strict=True):
        if pred != (item["key_area"], item["level"]):
            result.failures.append(
                {"id": item["id"], "expected": f"{item['key_area']} / {item['level']}", "got": f"{pred[0]} / {pred[1]}"}
            )
    result.seconds = time.perf_counter() - started
    return result
