"""Answers task: required facts present, and the answering passage among the citations.

Facts: every ``must_include`` and one of each ``any_of`` group, matched case-insensitively at
word starts on normalised text. Citations: some citation's passage contains ``source_quote``
(and each ``extra_sources`` quote).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from evals.common import TaskResult, contains_phrase, normalise, read_sets

CONFIG: dict[str, Any] = {}


def facts_ok(item: dict[str, Any], text: str) -> bool:
    if not all(contains_phrase(text, f) for f in item.get("must_include", [])):
        return False
    return all(any(contains_phrase(text, option) for option in group) for group in item.get("any_of", []))


def citations_ok(item: dict[str, Any], answer: Any) -> bool:
    quotes = [(item.get("source_doc"), item["source_quote"])]
    quotes += [(x.get("source_doc"), x["source_quote"]) for x in item.get("extra_sources", [])]
    cited = [(c.document, normalise(c.quote)) for c in answer.citations]
    return all(any((not doc or d == doc) and normalise(q) in text for d, text in cited) for doc, q in quotes)


def generate(assistant: Any, items: list[dict[str, Any]]) -> list[Any]:
    return [assistant.ask(item["question"], item.get("history")) for item in items]


def evaluate(items: list[dict[str, Any]], answers: list[Any]) -> tuple[dict[str, float], list[dict[str, Any]]]:
    facts = cites = both = 0
    failures = []
    for item, answer in zip(items, answers, strict=True):
        f, c = facts_ok(item, answer.text), citations_ok(item, answer) if item.get("source_quote") else True
        facts, cites, both = facts + f, cites + c, both + (f and c)
        if not (f and c):
            failures.append(
                {
                    "id": item["id"],
                    "facts": "ok" if f else "MISSING",
                    "citation": "ok" if c else "MISSING",
                    "expected": "; ".join(item.get("must_include", []) or [g[0] for g in item.get("any_of", [])]),
                    "got": answer.text[:160].replace("\n", " "),
                }
            )
    n = max(1, len(items))
    return {"facts": facts / n, "citations": cites / n, "both": both / n, "items": len(items)}, failures


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    started = time.perf_counter()
    items = read_sets(data_dirs, "questions.jsonl")
    metrics, failures = evaluate(items, generate(assistant, items))
    result = TaskResult("answers", metrics=metrics, failures=failures)
    follow = [i for i in items if i.get("history")]
    if follow:
        fm, _ = evaluate(follow, generate(assistant, follow))
        result.metrics["followups_both"] = fm["both"]
        result.notes.append(f"{len(follow)} follow-up questions: both facts and citations {fm['both']:.3f}")
    result.table.append({"system": "grounded", **{k: round(v, 3) for k, v in metrics.items()}})
    result.seconds = time.perf_counter() - started
    return result
