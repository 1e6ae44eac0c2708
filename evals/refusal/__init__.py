"""Refusal task, out-of-fold: out-of-scope questions declined with no invented figure; answerable
ones not refused. The fitted in-scope model (refitted without each fold, ``evals/oof.py``) against
the old composer's coverage rule in the same run, and the threshold's curve as a PNG."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import numpy as np

from evals.common import TaskResult, normalise
from evals.oof import ask_run, key

CONFIG: dict[str, Any] = {"curve_png": "evals/reports/refusal_curve.png"}
_FIGURE = re.compile(r"£?\d[\d,.]*(?:\s?(?:per cent|%|bn|billion|million|m))?")


def invented_figures(answer: Any) -> list[str]:
    """Figures in the answer that none of its cited passages contains."""
    sources = normalise(" ".join(c.quote for c in answer.citations))
    text = re.sub(r"\[\d+\]", "", answer.text)
    return [f for f in _FIGURE.findall(text) if normalise(f.strip(".,")) not in sources]


def _declined(answer: Any) -> bool:
    return answer.refused and not invented_figures(answer)


def _curve(oof: Any, path: Path) -> None:
    """Declined share and false-refusal share as the in-scope threshold moves (out-of-fold)."""
    inside = np.array([oof.probability[key(i)] for i in oof.inside if key(i) in oof.probability])
    outside = np.array([oof.probability[key(i)] for i in oof.outside if key(i) in oof.probability])
    if not len(inside) or not len(outside):
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    grid = np.linspace(0, 1, 101)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(grid, [(inside < t).mean() for t in grid], label="answerable refused (false refusals)")
    ax.plot(grid, [(outside < t).mean() for t in grid], label="out-of-scope declined")
    for t in oof.thresholds:
        ax.axvline(t, color="grey", lw=0.6, ls=":")
    ax.axhline(0.05, color="red", lw=0.6)
    ax.set_xlabel("in-scope probability threshold (dotted: chosen per fold)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    cfg = {**CONFIG, **(cfg or {})}
    started = time.perf_counter()
    oof = ask_run(assistant, data_dirs)
    result = TaskResult("refusal")
    for name, answers in (("fitted in-scope model (out-of-fold)", oof.fitted), ("old coverage rule", oof.baseline)):
        declined = [_declined(answers[key(i)]) for i in oof.outside]
        refused = [answers[key(i)].refused for i in oof.inside]
        near = [d for d, i in zip(declined, oof.outside, strict=True) if i.get("adjacent")]
        row = {
            "system": name,
            "declined": round(float(np.mean(declined)), 3) if declined else 0.0,
            "near-misses declined": round(float(np.mean(near)), 3) if near else "",
            "false refusals": round(float(np.mean(refused)), 3) if refused else 0.0,
        }
        result.table.append(row)
        if name.startswith("fitted"):
            result.metrics = {
                "declined": row["declined"],
                "max_false_refusal": row["false refusals"],
                "out_of_scope_items": len(oof.outside),
                "answerable_items": len(oof.inside),
            }
    for item in oof.outside:
        answer = oof.fitted[key(item)]
        if not _declined(answer):
            invented = invented_figures(answer)
            result.failures.append(
                {
                    "id": item["id"],
                    "set": item["_set"],
                    "expected": "declined",
                    "got": answer.text[:160].replace("\n", " ") + (f" (invented: {invented})" if invented else ""),
                }
            )
    for item in oof.inside:
        if oof.fitted[key(item)].refused:
            result.failures.append(
                {"id": item["id"], "set": item["_set"], "expected": "answered", "got": oof.fitted[key(item)].text[:160]}
            )
    _curve(oof, Path(cfg["curve_png"]))
    result.notes.append(f"Threshold curve: {cfg['curve_png']}")
    result.seconds = time.perf_counter() - started
    return result
