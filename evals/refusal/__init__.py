"""Refusal task: out-of-scope questions declined with no invented figure; answerable ones not refused."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from evals.common import TaskResult, normalise, read_sets

CONFIG: dict[str, Any] = {}
_FIGURE = re.compile(r"£?\d[\d,.]*(?:\s?(?:per cent|%|bn|billion|million|m))?")


def invented_figures(answer: Any) -> list[str]:
    """Figures in the answer that none of its cited passages contains."""
    sources = normalise(" ".join(c.quote for c in answer.citations))
    text = re.sub(r"\[\d+\]", "", answer.text)
    return [f for f in _FIGURE.findall(text) if normalise(f.strip(".,")) not in sources]


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    started = time.perf_counter()
    result = TaskResult("refusal")
    outside = read_sets(data_dirs, "out_of_scope.jsonl")
    declined = 0
    for item in outside:
        answer = assistant.ask(item["question"], item.get("history"))
        invented = invented_figures(answer)
        if answer.refused and not invented:
            declined += 1
        else:
            result.failures.append(
                {
                    "id": item["id"],
                    "expected": "declined",
                    "got": answer.text[:160].replace("\n", " ") + (f" (invented: {invented})" if invented else ""),
                }
            )
    answerable = read_sets(data_dirs, "questions.jsonl")
    false_refusals = 0
    for item in answerable:
        answer = assistant.ask(item["question"], item.get("history"))
        if answer.refused:
            false_refusals += 1
            result.failures.append({"id": item["id"], "expected": "answered", "got": answer.text[:160]})
    result.metrics = {
        "declined": declined / max(1, len(outside)),
        "max_false_refusal": false_refusals / max(1, len(answerable)),
        "out_of_scope_items": len(outside),
        "answerable_items": len(answerable),
    }
    result.table.append(
        {
            "system": "grounded",
            "declined": round(result.metrics["declined"], 3),
            "false refusals": round(result.metrics["max_false_refusal"], 3),
        }
    )
    result.seconds = time.perf_counter() - started
    return result
