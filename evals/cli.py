"""``procurement-assistant-eval`` (or ``python -m evals``): run evaluation tasks, print tables,
write a Markdown report.

Each task lives in its own folder (``evals/<task>/``) with its config, generate and evaluate
steps and a ``run(assistant, data_dirs)`` entry point; this module only runs and reports. The
harness is kept out of the product's own command line: a user's install never needs it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from assistant.learn.data import VALIDATION, default_sets
from evals.common import DATA_DIR, TaskResult

TASKS = ["retrieval", "understanding", "answers", "refusal", "maturity", "injection", "latency"]
THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"


def run_tasks(assistant: Any, tasks: list[str], data_dirs: list[Path]) -> list[TaskResult]:
    assistant.ensure_corpus()
    return [importlib.import_module(f"evals.{task}").run(assistant, data_dirs) for task in tasks]


def check(results: list[TaskResult], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Every figure below its threshold, as a readable line."""
    problems = []
    for result in results:
        for metric, minimum in (thresholds.get(result.task) or {}).items():
            value = result.metrics.get(metric)
            if value is None:
                problems.append(f"{result.task}.{metric}: not measured")
            elif (metric.startswith("max_") and value > minimum) or (not metric.startswith("max_") and value < minimum):
                problems.append(f"{result.task}.{metric} = {value:.3f} (threshold {minimum})")
    return problems


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    headers = list(dict.fromkeys(k for row in rows for k in row))  # every column any row has, first seen first
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(r.get(h, "")) for h in headers) + " |" for r in rows]
    return "\n".join(lines)


def markdown(results: list[TaskResult], data_dirs: list[Path], seconds: float, problems: list[str]) -> str:
    sets = ", ".join(f"`{d}`" for d in data_dirs)
    out = [f"# Evaluation report\n\nData: {sets}; {seconds:.1f}s in all.\n"]
    for r in results:
        out.append(f"## {r.task} ({r.seconds:.1f}s)\n")
        if r.table:
            out.append(_table(r.table) + "\n")
        metrics = {k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.metrics.items()}
        out.append("Metrics: " + ", ".join(f"`{k}` {v}" for k, v in metrics.items()) + "\n")
        out += [f"- {n}" for n in r.notes]
        if r.failures:
            out.append(f"\n### Failures ({len(r.failures)})\n")
            out.append(_table(r.failures) + "\n")
    out.append("## Thresholds\n")
    out.append("\n".join(f"- FAIL {p}" for p in problems) if problems else "All figures meet their thresholds.")
    return "\n".join(out) + "\n"


def cmd_eval(args: argparse.Namespace) -> int:
    from assistant import Assistant

    tasks = TASKS if "all" in args.task else args.task
    data_dirs = [Path(d) for d in args.data] if args.data else default_sets()
    if VALIDATION not in data_dirs and not args.data:
        print(f"note: {VALIDATION} is not here; measuring on the dev sets only", file=sys.stderr)
    started = time.perf_counter()
    results = run_tasks(Assistant(), tasks, data_dirs)
    seconds = time.perf_counter() - started
    thresholds = yaml.safe_load(THRESHOLDS.read_text()) or {}
    problems = check(results, thresholds)
    report = markdown(results, data_dirs, seconds, problems)
    if args.report:
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(report, encoding="utf-8")
    if args.json:
        print(
            json.dumps(
                {
                    "results": [r.as_dict() for r in results],
                    "seconds": round(seconds, 2),
                    "threshold_failures": problems,
                },
                indent=2,
            )
        )
    else:
        print(report)
    if args.check and problems:
        print(f"{len(problems)} figure(s) below threshold", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="procurement-assistant-eval",
        description="Measure retrieval, answers, refusal, maturity and injection; fitted parts out-of-fold.",
    )
    p.add_argument("--task", nargs="+", choices=[*TASKS, "all"], default=["all"])
    p.add_argument(
        "--data",
        nargs="+",
        help=f"set folders with questions.jsonl, maturity.jsonl, ... (default: {DATA_DIR} and {VALIDATION} if present)",
    )
    p.add_argument("--report", help="write the Markdown report here")
    p.add_argument("--json", action="store_true")
    p.add_argument("--check", action="store_true", help="exit non-zero when a figure is below its threshold")
    return p


def main(argv: list[str] | None = None) -> int:
    return cmd_eval(build_parser().parse_args(argv))
