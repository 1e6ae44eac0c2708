"""Answers task, out-of-fold: required facts present, and the answering passage among the citations.

Facts: every ``must_include`` and one of each ``any_of`` group, matched case-insensitively at
word starts on normalised text. Citations: some citation's passage contains ``source_quote``
(and each ``extra_sources`` quote). Systems in one run: the fitted composer (out-of-fold, see
``evals/oof.py``), the old composer (hand-set coverage rule), and "passage as answer": the top
one and top three retrieved passages shown as they are. Figures per set, kind and style.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from evals.common import TaskResult, contains_phrase, normalise
from evals.oof import ask_run, key

CONFIG: dict[str, Any] = {}


def facts_ok(item: dict[str, Any], text: str) -> bool:
    if not all(contains_phrase(text, f) for f in item.get("must_include", [])):
        return False
    return all(any(contains_phrase(text, option) for option in group) for group in item.get("any_of", []))


def citations_ok(item: dict[str, Any], answer: Any) -> bool:
    if not item.get("source_quote"):
        return True
    quotes = [(item.get("source_doc"), item["source_quote"])]
    quotes += [(x.get("source_doc"), x["source_quote"]) for x in item.get("extra_sources", [])]
    cited = [(c.document, normalise(c.quote)) for c in answer.citations]
    return all(any((not doc or d == doc) and normalise(q) in text for d, text in cited) for doc, q in quotes)


def _words(text: str) -> int:
    return len(text.split())


def _row(system: str, group: str, scores: dict[str, float], **extra: Any) -> dict[str, Any]:
    """One report row: the group's name and size first, then its figures."""
    figures = {k: round(v, 3) for k, v in scores.items() if k != "items"}
    return {"system": system, "group": group, "n": scores.get("items", ""), **figures, **extra}


def evaluate(items: list[dict[str, Any]], answers: list[Any]) -> dict[str, float]:
    f = [facts_ok(i, a.text) for i, a in zip(items, answers, strict=True)]
    c = [citations_ok(i, a) for i, a in zip(items, answers, strict=True)]
    n = max(1, len(items))
    answered = [_words(a.text) for a in answers if not a.refused]
    return {
        "facts": sum(f) / n,
        "citations": sum(c) / n,
        "both": sum(x and y for x, y in zip(f, c, strict=True)) / n,
        "refused": sum(a.refused for a in answers) / n,
        "median_words": statistics.median(answered) if answered else 0.0,
        "items": len(items),
    }


def _passage_facts(assistant: Any, items: list[dict[str, Any]], k: int) -> dict[str, float]:
    single = [i for i in items if not i.get("history")]
    hits, words = 0, []
    for item in single:
        text = "\n".join(d.page_content for d in assistant.search(item["question"], k=k))
        hits += facts_ok(item, text)
        words.append(_words(text))
    return {"facts": hits / max(1, len(single)), "median_words": statistics.median(words) if words else 0.0}


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    started = time.perf_counter()
    oof = ask_run(assistant, data_dirs)
    items = oof.inside
    result = TaskResult("answers")
    fitted = [oof.fitted[key(i)] for i in items]
    baseline = [oof.baseline[key(i)] for i in items]
    metrics = evaluate(items, fitted)
    result.metrics = dict(metrics)
    result.metrics["max_median_words"] = metrics["median_words"]  # an answer, not a passage (gated from above)
    follow = [k for k, i in enumerate(items) if i.get("history")]
    if follow:
        result.metrics["followups_both"] = evaluate([items[k] for k in follow], [fitted[k] for k in follow])["both"]
    for name, answers in (("fitted composer (out-of-fold)", fitted), ("old composer (coverage rule)", baseline)):
        result.table.append(_row(name, "all", evaluate(items, answers)))
    for k in (1, 3):
        pf = _passage_facts(assistant, items, k)
        result.table.append(_row(f"top {k} passage(s) shown as the answer (single-turn)", "all", pf))
    by: dict[str, list[int]] = defaultdict(list)
    for n, item in enumerate(items):
        by[f"set {item['_set']}"].append(n)
        if item.get("kind"):
            by[f"kind {item['kind']}"].append(n)
        if item.get("style"):
            by[f"style {item['style']}"].append(n)
    for name, index in sorted(by.items()):
        s = evaluate([items[k] for k in index], [fitted[k] for k in index])
        b = evaluate([items[k] for k in index], [baseline[k] for k in index])
        result.table.append(_row("fitted (out-of-fold)", name, s, old_both=round(b["both"], 3)))
        if name.startswith("set "):
            result.metrics[f"{name[4:]}_both"] = s["both"]
            result.metrics[f"{name[4:]}_facts"] = s["facts"]
    result.metrics["baseline_both"] = evaluate(items, baseline)["both"]
    for item, answer in zip(items, fitted, strict=True):
        f, c = facts_ok(item, answer.text), citations_ok(item, answer)
        if not (f and c):
            result.failures.append(
                {
                    "id": item["id"],
                    "set": item["_set"],
                    "facts": "ok" if f else "MISSING",
                    "citation": "ok" if c else "MISSING",
                    "expected": "; ".join(item.get("must_include", []) or [g[0] for g in item.get("any_of", [])]),
                    "got": answer.text[:160].replace("\n", " "),
                }
            )
    result.notes.append(
        f"Out-of-fold over {len(items)} answerable questions; in-scope thresholds per fold: "
        + ", ".join(f"{t:.3f}" for t in oof.thresholds)
    )
    result.seconds = time.perf_counter() - started
    return result
