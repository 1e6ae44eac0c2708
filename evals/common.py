"""Shared pieces of the evaluation tasks: data files, text matching, results, timing."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.learn.data import read_items, read_jsonl
from domain.text import holds_phrase as contains_phrase
from domain.text import normalise

DATA_DIR = Path(__file__).resolve().parent / "data"

__all__ = ["DATA_DIR", "TaskResult", "contains_phrase", "normalise", "percentile", "read_jsonl", "read_sets"]


def read_sets(dirs: list[Path], name: str) -> list[dict[str, Any]]:
    """Items of ``name`` from every set folder, each tagged with its set's folder name (``_set``)."""
    return read_items(dirs, name)


def percentile(values: Iterable[float], pct: float) -> float:
    data = sorted(values)
    if not data:
        return 0.0
    if len(data) == 1:
        return data[0]
    return statistics.quantiles(data, n=100, method="inclusive")[max(0, min(98, int(pct) - 1))]


@dataclass
class TaskResult:
    """What a task measured: headline metrics, baselines in the same run, and failures."""

    task: str
    metrics: dict[str, float] = field(default_factory=dict)
    table: list[dict[str, Any]] = field(default_factory=list)  # one row per system/variant
    failures: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "metrics": self.metrics,
            "table": self.table,
            "failures": self.failures,
            "notes": self.notes,
            "seconds": round(self.seconds, 2),
        }
