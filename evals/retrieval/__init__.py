"""Retrieval task: hit@1, hit@5 and MRR on chunk ids, no language model involved; the fitted fusion out-of-fold.

Gold for an item is every passage of its ``source_doc`` that contains its ``source_quote``
(and each ``extra_sources`` quote). Systems compared in one run: hybrid, BM25 only, dense
only, and a naive baseline (fixed 1,000-character splitter, dense only, as a LangChain
quick-start builds it) indexed into a throwaway in-memory Chroma collection.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.fit import is_answering_passage
from evals.common import TaskResult, read_sets

CONFIG = {"k": 5, "systems": ["hybrid", "bm25", "dense", "naive"], "naive_chunk_size": 1000, "naive_overlap": 200}

Ranker = Callable[[str], list[tuple[str, str, str]]]  # query -> [(chunk id, document, text)]


def gold_quotes(item: dict[str, Any]) -> list[tuple[str, str]]:
    quotes = [(item.get("source_doc", ""), item["source_quote"])]
    quotes += [(x.get("source_doc", ""), x["source_quote"]) for x in item.get("extra_sources", [])]
    return quotes


def is_gold(document: str, text: str, item: dict[str, Any]) -> bool:
    """The passage holds the item's main quote (the answering passage): the test ``fit`` labels with."""
    return is_answering_passage(item, document, text)


def generate(items: list[dict[str, Any]], rank: Ranker, k: int) -> list[list[tuple[str, str, str]]]:
    return [rank(_query(item))[:k] for item in items]


def _query(item: dict[str, Any]) -> str:
    """Follow-ups are retrieved with the conversation's last user turn prepended."""
    history = [h["content"] for h in item.get("history", []) if h.get("role") == "user"]
    return f"{history[-1]} {item['question']}" if history else item["question"]


def evaluate(items: list[dict[str, Any]], ranked: list[list[tuple[str, str, str]]]) -> dict[str, Any]:
    hits1 = hits5 = 0
    reciprocal = 0.0
    misses = []
    for item, results in zip(items, ranked, strict=True):
        rank = next((i for i, (_, doc, text) in enumerate(results, start=1) if is_gold(doc, text, item)), None)
        if rank == 1:
            hits1 += 1
        if rank is not None:
            hits5 += 1
            reciprocal += 1.0 / rank
        else:
            misses.append(
                {
                    "id": item["id"],
                    "expected": item["source_quote"][:120],
                    "got": results[0][2][:120].replace("\n", " ") if results else "(nothing)",
                }
            )
    n = max(1, len(items))
    return {"hit@1": hits1 / n, "hit@5": hits5 / n, "mrr": reciprocal / n, "misses": misses}


def _naive_ranker(assistant: Any, corpus_dir: Path, cfg: dict[str, Any]) -> Ranker:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=cfg["naive_chunk_size"], chunk_overlap=cfg["naive_overlap"])
    ids, texts, docs = [], [], []
    for path in assistant.indexer.manifest.files():
        for i, piece in enumerate(splitter.split_text(path.read_text(encoding="utf-8"))):
            ids.append(f"{path.name}:{i}")
            texts.append(piece)
            docs.append(path.name)
    client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.create_collection(
        f"naive{int(time.time() * 1000)}", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
    )
    collection.add(
        ids=ids, documents=texts, embeddings=assistant.embedder.embed(texts), metadatas=[{"document": d} for d in docs]
    )

    def rank(query: str) -> list[tuple[str, str, str]]:
        got = collection.query(query_embeddings=[assistant.embedder.embed_query(query)], n_results=cfg["k"])
        return [
            (i, m["document"], t)
            for i, m, t in zip(got["ids"][0], got["metadatas"][0], got["documents"][0], strict=True)
        ]

    return rank


def fitted_fusion_oof(assistant: Any, items: list[dict[str, Any]], k: int, folds: int = 5) -> dict[str, Any]:
    """The fitted fusion, out-of-fold: for each fold it is refitted on the other folds' answering
    passages and ranks the fold's candidate pools (searched as the pipeline searches)."""
    from sklearn.model_selection import GroupKFold

    from assistant.fit import ask_turns, conversation, fit_intents, with_intents
    from assistant.learn.fusion import fit_fusion

    searcher = assistant.searcher
    _, intents = fit_intents(assistant, items)  # each question's intents out-of-fold, as fit gives the fusion
    pools = []
    for turn in with_intents(assistant, ask_turns(assistant, items), intents):
        pool = searcher.pool(turn.query, k) if turn is not None else {}
        pools.append((pool, searcher.features(turn.query, pool, turn.intents) if pool else None))
    labels = [
        [int(is_gold(e["metadata"].get("document", ""), e["text"], item)) for e in pool.values()]
        for item, (pool, _) in zip(items, pools, strict=True)
    ]
    ranked: list[list[tuple[str, str, str]]] = [[] for _ in items]
    groups = [conversation(i) for i in items]
    for train, test in GroupKFold(folds).split(items, groups=groups):
        rows = [i for i in train if pools[i][1] is not None and any(labels[i])]
        fusion = fit_fusion(np.vstack([pools[i][1] for i in rows]), [v for i in rows for v in labels[i]])
        for i in test:
            pool, x = pools[i]
            if x is None:
                continue
            order = np.argsort(-fusion.scores(x))[:k]
            entries = list(pool.items())
            ranked[i] = [
                (entries[j][0], entries[j][1]["metadata"].get("document", ""), entries[j][1]["text"]) for j in order
            ]
    return evaluate(items, ranked)


def run(assistant: Any, data_dirs: list[Path], cfg: dict[str, Any] | None = None) -> TaskResult:
    cfg = {**CONFIG, **(cfg or {})}
    started = time.perf_counter()
    items = [i for i in read_sets(data_dirs, "questions.jsonl") if i.get("source_quote")]
    result = TaskResult("retrieval")
    if not items:
        result.notes.append("no questions with source_quote")
        return result
    passages = [(m["document"], t) for _, t, m in assistant.store.rows()]
    unmatched = [i["id"] for i in items if not any(is_gold(d, t, i) for d, t in passages)]
    if unmatched:
        result.notes.append(f"{len(unmatched)} quotes are in no single passage (cannot be hit): {', '.join(unmatched)}")

    original = assistant.searcher.fusion
    assistant.searcher.fusion = None  # these systems rank by reciprocal rank fusion (hybrid) or one retriever
    for system in cfg["systems"]:
        if system == "naive":
            rank = _naive_ranker(assistant, assistant.settings.corpus_dir, cfg)
        else:

            def rank(query: str, mode: str = system) -> list[tuple[str, str, str]]:
                docs = assistant.search(query, k=cfg["k"], mode=mode)
                return [(d.metadata["id"], d.metadata["document"], d.page_content) for d in docs]

        t0 = time.perf_counter()
        scores = evaluate(items, generate(items, rank, cfg["k"]))
        ms = (time.perf_counter() - t0) * 1000 / len(items)
        misses = scores.pop("misses")
        result.table.append({"system": system, **{k: round(v, 3) for k, v in scores.items()}, "ms/query": round(ms, 1)})
        if system == "hybrid":
            result.metrics.update({f"hybrid_{k}": v for k, v in scores.items()})
        else:
            result.metrics[f"{system}_mrr"] = scores["mrr"]
            result.metrics[f"{system}_hit@5"] = scores["hit@5"]
    assistant.searcher.fusion = original
    t0 = time.perf_counter()
    scores = fitted_fusion_oof(assistant, items, cfg["k"])
    misses = scores.pop("misses")
    ms = (time.perf_counter() - t0) * 1000 / len(items)
    result.table.append(
        {
            "system": "fitted fusion (out-of-fold)",
            **{k: round(v, 3) for k, v in scores.items()},
            "ms/query": round(ms, 1),
        }
    )
    result.metrics.update({f"fitted_{k}": v for k, v in scores.items()})
    result.failures = misses
    result.metrics["items"] = len(items)
    result.seconds = time.perf_counter() - started
    return result
