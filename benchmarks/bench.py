"""Benchmark: cold ingest, ingest vs raw embedding throughput, search and answer latency, peak memory.

Machines here are noisy, so every throughput is also printed as a ratio against a baseline
measured in the same run: ingest chunks/s against the model's raw embedding chunks/s on the
same texts, and answer latency against retrieval-only latency.

    .venv/bin/python benchmarks/bench.py               # the bundled corpus
    .venv/bin/python benchmarks/bench.py --scale 1000  # plus a synthetic corpus of 1,000 documents
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import Assistant, Settings
from benchmarks.load import peak_mb
from domain.text import sentences
from evals.common import DATA_DIR, percentile, read_jsonl


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - started, out


def latencies(fn, queries: list[str], repeats: int = 2) -> list[float]:
    out = []
    for _ in range(repeats):
        for q in queries:
            seconds, _ = timed(fn, q)
            out.append(seconds * 1000)
    return out


def measure(assistant: Assistant, paths: list[Path] | None, queries: list[str], label: str) -> dict:
    load_s, _ = timed(lambda: assistant.embedder)
    ingest_s, report = timed(assistant.ingest, paths)
    chunks = report.chunks_written
    texts = [t for _, t, _ in assistant.store.rows()][: max(1, min(chunks, 2000))]  # a sample is enough for a rate
    raw_s, _ = timed(assistant.embedder.embed, texts)
    search = latencies(lambda q: assistant.search(q, k=5), queries)
    answer = latencies(assistant.ask, queries)
    row = {
        "corpus": label,
        "documents": len(report.files),
        "chunks": chunks,
        "model_load_s": round(load_s, 2),
        "cold_ingest_s": round(ingest_s, 2),
        "ingest_chunks_per_s": round(chunks / ingest_s, 1),
        "raw_embed_chunks_per_s": round(len(texts) / raw_s, 1),
        "ingest_vs_raw_embedding": round((chunks / ingest_s) / (len(texts) / raw_s), 3),
        "search_p50_ms": round(percentile(search, 50), 1),
        "search_p95_ms": round(percentile(search, 95), 1),
        "answer_p50_ms": round(percentile(answer, 50), 1),
        "answer_p95_ms": round(percentile(answer, 95), 1),
        "answer_vs_search_p50": round(percentile(answer, 50) / max(percentile(search, 50), 1e-6), 2),
        "reingest_unchanged_s": round(timed(assistant.ingest, paths)[0], 2),
        **plan_and_pack(assistant),
        "peak_rss_mb": round(peak_mb(), 0),
    }
    return row


def plan_and_pack(assistant: Assistant) -> dict:
    """Time a full 14-area plan and a 90-minute training pack, each with its Word export."""
    from assistant import export

    model = assistant.maturity_model
    profile = {"areas": {a.name: {"current": "Minimum", "target": "Leader"} for a in model.areas}}
    plan_s, plan = timed(assistant.plan, profile)
    plan_docx_s, _ = timed(export.to_docx, export.plan_blocks(plan))
    pack_s, pack = timed(assistant.training_pack, "Showing leadership", "officers", 90)
    pack_docx_s, _ = timed(export.to_docx, export.pack_blocks(pack))
    return {
        "plan_14_areas_ms": round(plan_s * 1000, 1),
        "plan_docx_ms": round(plan_docx_s * 1000, 1),
        "pack_90min_ms": round(pack_s * 1000, 1),
        "pack_docx_ms": round(pack_docx_s * 1000, 1),
    }


def synthetic_corpus(folder: Path, documents: int, seed: int = 7) -> list[Path]:
    """Documents made of shuffled sentences of the bundled corpus (about 50 chunks each)."""
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    pool = [s for p in sorted(corpus.glob("0*.txt")) for s in sentences(" ".join(p.read_text().split())) if len(s) > 40]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(documents):
        sections = []
        for j in range(50):
            body = " ".join(rng.choice(pool) for _ in range(8))
            sections.append(f"# Section {j + 1} of report {i}\n\n{body}\n")
        path = folder / f"synthetic_{i:05}.md"
        path.write_text("\n".join(sections), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=0, help="also run on N synthetic documents (~50 chunks each)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    queries = [i["question"] for i in read_jsonl(DATA_DIR / "questions.jsonl")]
    rows = []
    with tempfile.TemporaryDirectory(prefix="pa-bench-") as tmp:
        assistant = Assistant(Settings(data_dir=Path(tmp) / "corpus-store"))
        rows.append(measure(assistant, None, queries, "bundled corpus"))
        if args.scale:
            paths = synthetic_corpus(Path(tmp) / "synthetic", args.scale)
            scaled = Assistant(Settings(data_dir=Path(tmp) / "scale-store"))
            scaled.ingest()
            rows.append(measure(scaled, paths, queries, f"synthetic x{args.scale}"))
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    keys = list(rows[0])
    width = max(len(k) for k in keys)
    for key in keys:
        print(f"{key:<{width}}  " + "  ".join(f"{r[key]!s:>16}" for r in rows))


if __name__ == "__main__":
    main()
