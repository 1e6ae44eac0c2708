"""Maturity task, out-of-fold: the fitted assessor against two baselines on the same folds.

Items of all given sets are split by grouped k-fold (grouped by key area and level, so the
paraphrases of one cell are never on both sides); for each fold every learned part is refitted
on the other folds plus the 70 descriptors (``assistant.fit``), then scored on the fold.
Baselines in the same run: "nearest descriptor" (the single most similar of the 70 descriptors
gives area and level; nothing fitted) and a plain logistic regression over the sentence
embedding and the 70 descriptor similarities (area and level as unrelated classes).
Figures are given per set and for all sets together; a confusion matrix is saved as a PNG.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.fit import cell, practice_examples
from assistant.learn.assess_model import Design, Evidence, descriptor_examples, fit_assess, predict
from assistant.learn.linear import Linear
from evals.common import TaskResult, percentile, read_sets

CONFIG = {"folds": 5, "confusion_png": "evals/reports/maturity_confusion.png"}
Pred = tuple[str, str]


def _score(items: list[dict], preds: list[Pred], levels: list[str]) -> dict[str, float]:
    n = max(1, len(items))
    pairs = list(zip(items, preds, strict=True))
    return {
        "key_area": sum(p[0] == i["key_area"] for i, p in pairs) / n,
        "exact_level": sum(p[1] == i["level"] for i, p in pairs) / n,
        "within_one": sum(abs(levels.index(p[1]) - levels.index(i["level"])) <= 1 for i, p in pairs) / n,
        "joint": sum(p == (i["key_area"], i["level"]) for i, p in pairs) / n,
    }


def _plain_lr(evidence: Evidence, train: Design, descriptors: Design) -> tuple[Linear, Linear]:
    both = train + descriptors
    x = np.hstack([both.vectors, both.area_x[:, both.vectors.shape[1] : both.vectors.shape[1] + 70]])
    return (
        Linear.fit(x, [e.key_area for e in both.examples]),
        Linear.fit(x, [e.level for e in both.examples]),
    )


def out_of_fold(evidence: Evidence, items: list[dict], folds: int) -> dict[str, Any]:
    """Predictions of every system for every item, each from models that never saw its fold."""
    from sklearn.model_selection import GroupKFold

    names, levels = [a.name for a in evidence.model.areas], evidence.levels
    practices = Design.build(evidence, practice_examples(items))
    descriptors = Design.build(evidence, descriptor_examples(evidence.model))
    groups = [cell(i) for i in items]
    dim = practices.vectors.shape[1]
    out: dict[str, list[Any]] = {k: [None] * len(items) for k in ("fitted", "plain", "nearest", "confidence", "sure")}
    for train, test in GroupKFold(folds).split(practices.area_x, groups=groups):
        model, _ = fit_assess(evidence, practices.subset(train), descriptors, [groups[i] for i in train])
        plain_area, plain_level = _plain_lr(evidence, practices.subset(train), descriptors)
        for i in test:
            e, v = practices.examples[i], practices.vectors[i]
            p = predict(evidence, model, e.text, v)
            li = int(np.argmax(p.level_proba))
            out["fitted"][i] = (names[p.area_index], levels[li])
            out["confidence"][i] = float(p.level_proba[li] * p.area_proba[p.area_index])
            out["sure"][i] = out["confidence"][i] >= model.confident
            x = np.concatenate([v, practices.area_x[i, dim : dim + 70]])
            out["plain"][i] = (plain_area.predict(x)[0], plain_level.predict(x)[0])
            sims = evidence.descriptors @ v
            a, lv = np.unravel_index(int(np.argmax(sims)), sims.shape)
            out["nearest"][i] = (names[int(a)], levels[int(lv)])
    return out


def _confusion(items: list[dict], preds: list[Pred], levels: list[str], path: Path) -> list[list[int]]:
    matrix = np.zeros((len(levels), len(levels)), dtype=int)
    for item, (_, level) in zip(items, preds, strict=True):
        matrix[levels.index(item["level"]), levels.index(level)] += 1
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5, 4))
        ax.imshow(matrix, cmap="Blues")
        ax.set_xticks(range(len(levels)), levels, rotation=30)
        ax.set_yticks(range(len(levels)), levels)
        ax.set_xlabel("predicted (out-of-fold)")
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


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    cfg = {**CONFIG, **(cfg or {})}
    started = time.perf_counter()
    items = read_sets(data_dirs, "maturity.jsonl")
    result = TaskResult("maturity")
    if not items:
        return result
    evidence = assistant.assessor_evidence
    levels = evidence.levels
    oof = out_of_fold(evidence, items, cfg["folds"])
    subsets = {"all": list(range(len(items)))}
    for name in sorted({i["_set"] for i in items}):
        subsets[name] = [k for k, i in enumerate(items) if i["_set"] == name]
    subsets["no keyword"] = [k for k, i in enumerate(items) if i.get("no_keyword")]
    systems = {
        "baseline: nearest descriptor": "nearest",
        "baseline: plain logistic regression": "plain",
        "fitted assessor": "fitted",
    }
    for label, key in systems.items():
        for subset, index in subsets.items():
            if index:
                s = _score([items[k] for k in index], [oof[key][k] for k in index], levels)
                result.table.append(
                    {"system": label, "items": subset, "n": len(index), **{m: round(v, 3) for m, v in s.items()}}
                )
    final = oof["fitted"]
    result.metrics = _score(items, final, levels)
    for subset, index in subsets.items():
        if subset != "all" and index:
            s = _score([items[k] for k in index], [final[k] for k in index], levels)
            result.metrics.update({f"{subset.replace(' ', '_')}_{m}": v for m, v in s.items()})
    base = _score(items, oof["nearest"], levels)
    plain = _score(items, oof["plain"], levels)
    result.metrics.update({f"baseline_{k}": v for k, v in base.items()})
    result.metrics.update({f"plain_lr_{k}": v for k, v in plain.items()})
    result.metrics["exact_over_baseline"] = result.metrics["exact_level"] - base["exact_level"]
    sure = [k for k, s in enumerate(oof["sure"]) if s]
    result.metrics["confident_share"] = len(sure) / len(items)
    result.metrics["confident_exact_level"] = (
        sum(final[k][1] == items[k]["level"] for k in sure) / len(sure) if sure else 0.0
    )
    timings = []
    for item in items[:20]:
        t0 = time.perf_counter()
        assistant.assess(item["practice"])
        timings.append((time.perf_counter() - t0) * 1000)
    result.metrics["assess_p50_ms"] = percentile(timings, 50)
    matrix = _confusion(items, final, levels, Path(cfg["confusion_png"]))
    result.notes.append(
        f"Out-of-fold: grouped {cfg['folds']}-fold by key area and level over {len(items)} items "
        f"({', '.join(f'{n}: {len(i)}' for n, i in subsets.items() if n not in ('all', 'no keyword'))}); "
        "every model refitted without the fold. Sets: " + ", ".join(str(d) for d in data_dirs)
    )
    result.notes.append(
        f"Shown as confident: {len(sure)} of {len(items)}; exact level among them "
        f"{result.metrics['confident_exact_level']:.3f}."
    )
    result.notes.append(
        "Confusion matrix (rows expected, columns predicted; "
        + ", ".join(levels)
        + "): "
        + "; ".join(" ".join(f"{v:2d}" for v in row) for row in matrix)
        + f" (PNG: {cfg['confusion_png']})"
    )
    for item, pred in zip(items, final, strict=True):
        if pred != (item["key_area"], item["level"]):
            result.failures.append(
                {
                    "id": item["id"],
                    "set": item["_set"],
                    "expected": f"{item['key_area']} / {item['level']}",
                    "got": f"{pred[0]} / {pred[1]}",
                }
            )
    result.seconds = time.perf_counter() - started
    return result
