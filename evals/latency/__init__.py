"""Latency task: answer time per pipeline stage (p50/p95) beside retrieval-only time, same run."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from evals.common import TaskResult, percentile, read_sets

CONFIG = {"repeats": 2}


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    cfg = {**CONFIG, **(cfg or {})}
    started = time.perf_counter()
    items = read_sets(data_dirs, "questions.jsonl")
    assistant.ask("warm up: what is social value?")
    stages: dict[str, list[float]] = {}
    totals, retrieval = [], []
    clear = type(assistant.embedder)._cached_query.cache_clear  # time every call with a cold query cache
    for _ in range(cfg["repeats"]):
        for item in items:
            clear()
            t0 = time.perf_counter()
            assistant.search(item["question"], k=assistant.settings.retrieval_k)
            retrieval.append((time.perf_counter() - t0) * 1000)
            clear()
            t0 = time.perf_counter()
            answer = assistant.ask(item["question"], item.get("history"))
            totals.append((time.perf_counter() - t0) * 1000)
            for stage, ms in answer.timings.items():
                stages.setdefault(stage, []).append(ms)
    result = TaskResult("latency")
    for name, values in [("retrieval only", retrieval), *stages.items(), ("answer total", totals)]:
        result.table.append(
            {"stage": name, "p50 ms": round(percentile(values, 50), 1), "p95 ms": round(percentile(values, 95), 1)}
        )
    p50_answer, p50_retrieval = percentile(totals, 50), percentile(retrieval, 50)
    result.metrics = {
        "answer_p50_ms": p50_answer,
        "retrieval_p50_ms": p50_retrieval,
        "max_answer_to_retrieval_p50": p50_answer / max(p50_retrieval, 1e-6),
    }
    result.seconds = time.perf_counter() - started
    return result
