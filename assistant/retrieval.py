"""Hybrid retrieval: BM25 (bm25s) and dense (Chroma), fused by reciprocal rank fusion.

Keyword search finds exact terms ("TOMs", "P2P", "Innovator") that a small embedding
model blurs; dense search finds paraphrases. The keyword index is built from the store
itself and rebuilt when the store's generation changes, so several processes sharing one
Chroma server stay consistent.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Literal

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.cache import LRUCache
from assistant.learn.kinds import asked_for, uniform
from assistant.store import GuidanceStore
from domain.text import normalise, sentences, title_initials, weighted_share

Mode = Literal["hybrid", "bm25", "dense"]
FILTER_KEYS = ("document", "theme", "key_area", "level", "kind")


@dataclass(frozen=True)
class Links:
    """What a query names of the maturity model: key areas, a level, themes (found by the ask layer,
    which knows the model's words and synonyms; see ``ask.language.EntityLinker``)."""

    areas: frozenset[str] = frozenset()
    level: str | None = None
    themes: frozenset[str] = frozenset()
    members: frozenset[str] = frozenset()  # the linked themes' key areas, by name


Linker = Callable[[str], Links]  # a query -> what it names of the maturity model


_WORD = re.compile(r"(?u)\b\w\w+\b")  # bm25s's (and scikit-learn's) token pattern
_STOP = frozenset(STOPWORDS_EN)
_local = threading.local()

try:  # stemming lets "councillors" match "councillor"; optional but installed by default
    import Stemmer
except ImportError:  # pragma: no cover - exercised only without PyStemmer
    Stemmer = None


def _stemmer():
    """One stemmer per thread: PyStemmer objects must not be shared between threads."""
    if Stemmer is None:  # pragma: no cover
        return None
    if not hasattr(_local, "stemmer"):
        _local.stemmer = Stemmer.Stemmer("english")
    return _local.stemmer


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-cased word tokens, English stop words removed, stemmed: the same tokens as ``bm25s.tokenize``.

    Written out here because bm25s builds progress-bar objects on every call, and those take a
    process-wide lock: with many sessions answering at once that lock was most of the wait.
    """
    stemmer = _stemmer()
    out = []
    for text in texts:
        words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
        if stemmer is not None:
            words = stemmer.stemWords(words)
        # the stemmer leaves acronym plurals ("SMEs", "LATCos") alone: fold them to the singular
        out.append([w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words])
    return out


@dataclass
class _Row:
    id: str
    text: str
    metadata: dict[str, Any]


class KeywordIndex:
    """An in-memory BM25 index over every passage in the store."""

    def __init__(self, rows: list[_Row]) -> None:
        self.rows = rows
        self._bm25 = bm25s.BM25()
        tokens = tokenize([r.text for r in rows]) if rows else []
        if rows:
            self._bm25.index(tokens, show_progress=False)
        self._df: dict[str, int] = {}
        for doc_tokens in tokens:
            for term in set(doc_tokens):
                self._df[term] = self._df.get(term, 0) + 1

    def idf(self, term: str) -> float:
        """Inverse document frequency: rare terms say more about what a question asks."""
        return float(np.log(1 + (len(self.rows) + 1) / (self._df.get(term, 0) + 0.5)))

    @cached_property
    def titles(self) -> frozenset[str]:
        """The indexed documents' titles."""
        return frozenset(str(r.metadata.get("title") or "") for r in self.rows)

    @cached_property
    def acronyms(self) -> frozenset[str]:
        """The initials the indexed documents' titles give them, three letters or more ("PPN", "NPS")."""
        return frozenset(a for t in self.titles for a in title_initials(t) if len(a) >= 3)

    @cached_property
    def title_terms(self) -> frozenset[str]:
        """The words of the indexed documents' titles: a PDF's running header ("Northshire County Council -
        Contract Procedure Rules") names its document although no passage's text repeats it."""
        return frozenset(tokenize([" ".join(self.titles)])[0])

    def holds(self, word: str) -> bool:
        """Some indexed passage or document title has ``word`` (every token of it)."""
        tokens = tokenize([word])[0]
        return bool(tokens) and all(self._df.get(t) or t in self.title_terms for t in tokens)

    def search(self, query: str, n: int, filters: dict[str, str] | None = None) -> list[tuple[_Row, float]]:
        if not self.rows:
            return []
        query_tokens = tokenize([query])[0]
        if not query_tokens:
            return []
        scores = np.asarray(self._bm25.get_scores(query_tokens), dtype=np.float64)
        if filters:
            mask = np.array([all(r.metadata.get(k) == v for k, v in filters.items()) for r in self.rows])
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:n]
        return [(self.rows[i], float(scores[i])) for i in top if scores[i] > 0]


def where_clause(filters: dict[str, str] | None) -> dict[str, Any] | None:
    if not filters:
        return None
    clauses = [{k: v} for k, v in filters.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Searcher:
    """Ranks passages for a query; shared by the LangChain retriever, the CLI and the evals."""

    def __init__(
        self,
        store: GuidanceStore,
        candidates: int = 40,
        rrf_k: int = 60,
        fusion: Any = None,
        linker: Linker | None = None,
        structure: tuple[str, ...] = (),
        intents: Callable[[str], np.ndarray] | None = None,
    ) -> None:
        self.store = store
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.fusion = fusion  # a fitted Fusion (assistant/learn/fusion.py), or None for reciprocal rank fusion
        # the query's maturity-model entities, for the pool's theme search and the fusion's entity columns: read
        # once per query, though both pool and features ask
        self.linker = lru_cache(maxsize=256)(linker) if linker is not None else None
        # the maturity model's names (themes, key areas, enablers): a passage that holds many of them sets out
        # the strategy's structure (its overview, its figure), which no one name's passages do
        self.structure = tuple(normalise(n) for n in structure)
        # what a query asks for (the fitted intent classifier's probabilities), where the caller does not say
        self.intents = intents or (lambda query: uniform()[0])
        self._passages: LRUCache[tuple[list[set[str]], np.ndarray, float]] = LRUCache(20_000)
        self._index: KeywordIndex | None = None
        self._generation: str | None = None
        self._lock = threading.Lock()

    def keyword_index(self) -> KeywordIndex:
        generation = self.store.generation()
        with self._lock:
            if self._index is None or generation != self._generation:
                rows = [_Row(i, t, m) for i, t, m in self.store.rows()]
                self._index, self._generation = KeywordIndex(rows), generation
            return self._index

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        mode: Mode = "hybrid",
        filters: dict[str, str] | None = None,
        intents: np.ndarray | None = None,
    ) -> list[Document]:
        """The ``k`` best passages; ``intents``: what the question asks for, where the query holds more than the
        question (the pipeline adds glossary terms and a follow-up's context), else read off the query."""
        ranked = self.pool(query, k, mode, filters)
        if mode == "hybrid" and self.fusion is not None and ranked:
            scores = self.fusion.scores(self.features(query, ranked, intents))
            for entry, score in zip(ranked.values(), scores, strict=True):
                entry["score"] = float(score)
        best = sorted(ranked.items(), key=lambda item: -item[1]["score"])[:k]
        return [_document(chunk_id, entry) for chunk_id, entry in best]

    def features(self, query: str, ranked: dict[str, dict[str, Any]], intents: np.ndarray | None = None) -> np.ndarray:
        """What :class:`~assistant.learn.fusion.Fusion` reads, one row per candidate (``fusion.FEATURES``);
        ``intents`` as in :meth:`search`."""
        asked = self.intents(query) if intents is None else intents
        words = set(tokenize([query])[0])
        index = self.keyword_index()
        overlap_with = weighted_share({w: index.idf(w) for w in words})
        query_vector = self.store.embedder.embed_query(query)
        top_bm25 = max((e.get("bm25_score", 0.0) for e in ranked.values()), default=0.0) or 1.0
        top_dense = max((e.get("dense_score", 0.0) for e in ranked.values()), default=0.0)
        links = self.linker(query) if self.linker is not None else Links()
        rows = []
        for entry in ranked.values():
            meta = entry["metadata"]
            kind = meta.get("kind") or ""
            naming = set(tokenize([" ".join(str(meta.get(f) or "") for f in ("title", "publisher", "date"))])[0])
            dense = entry.get("dense_score", 0.0)
            sentence_terms, vectors, structure = self._read(entry)
            overlap = max((overlap_with(t.__contains__) for t in sentence_terms), default=0.0)
            rows.append(
                [
                    entry["score"],
                    _reciprocal(entry, "bm25_rank"),
                    _reciprocal(entry, "dense_rank"),
                    entry.get("bm25_score", 0.0) / top_bm25,
                    dense,
                    dense - top_dense if "dense_score" in entry else -1.0,
                    float(kind == "level"),
                    float(kind in ("description", "what_it_is", "why_important")),
                    float(not kind),
                    min(len(entry["text"]), 3000) / 1000,
                    len(words & naming) / (len(words) or 1),
                    float((vectors @ query_vector).max()) if len(vectors) else 0.0,
                    overlap,
                    float(bool(meta.get("key_area")) and meta.get("key_area") in links.areas),
                    float(links.level is not None and meta.get("level") == links.level),
                    float(any(t.lower() in entry["text"].lower() for t in links.themes)),
                    structure,
                    _reciprocal(entry, "members_rank"),
                    asked_for(asked, kind),
                ]
            )
        return np.array(rows)

    def _read(self, entry: dict[str, Any]) -> tuple[list[set[str]], np.ndarray, float]:
        """What the fusion reads of a passage whatever the query, worked out once per passage text: its
        sentences as word sets and vectors, and the share of the maturity model's names it holds."""
        key = entry["text"]
        found = self._passages.get(key)
        if found is None:
            parts = [s for s in sentences(entry["text"]) if len(s.split()) >= 3][:40] or [entry["text"]]
            low = normalise(key)
            held = sum(name in low for name in self.structure) / len(self.structure) if self.structure else 0.0
            found = ([set(t) for t in tokenize(parts)], self.store.embedder.embed(parts), held)
            self._passages.put(key, found)
        return found

    def pool(
        self, query: str, k: int = 5, mode: Mode = "hybrid", filters: dict[str, str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Every candidate of either retriever, with its ranks, scores and the reciprocal rank fusion score; in
        hybrid mode also those of a keyword search for the key areas of the themes the query names (their rank
        is a fusion feature; the reciprocal rank fusion score leaves them out)."""
        query = " ".join(query.split())
        if not query:
            return {}
        filters = {key: v for key, v in (filters or {}).items() if v and key in FILTER_KEYS} or None
        pool = max(self.candidates, k)
        ranked: dict[str, dict[str, Any]] = {}
        if mode in ("hybrid", "bm25"):
            for rank, (row, score) in enumerate(self.keyword_index().search(query, pool, filters), start=1):
                entry = ranked.setdefault(row.id, {"text": row.text, "metadata": row.metadata})
                entry.update(bm25_rank=rank, bm25_score=score)
        if mode in ("hybrid", "dense"):
            vector = self.store.embedder.embed_query(query)
            for rank, hit in enumerate(self.store.query(vector, pool, where_clause(filters)), start=1):
                entry = ranked.setdefault(hit.id, {"text": hit.text, "metadata": hit.metadata})
                entry.update(dense_rank=rank, dense_score=1.0 - hit.distance)
        links = self.linker(query) if self.linker is not None and mode == "hybrid" else Links()
        if links.members:  # a theme's passages name its key areas, often not the theme's own words
            members = " ".join(sorted(links.members))
            for rank, (row, _) in enumerate(self.keyword_index().search(members, pool, filters), start=1):
                entry = ranked.setdefault(row.id, {"text": row.text, "metadata": row.metadata})
                entry.update(members_rank=rank)
        for entry in ranked.values():
            entry["score"] = sum(1.0 / (self.rrf_k + entry[key]) for key in ("bm25_rank", "dense_rank") if key in entry)
        return ranked


def _reciprocal(entry: dict[str, Any], rank: str) -> float:
    """1 / the passage's rank in one search of the pool, 0 where that search did not find it."""
    return 1.0 / entry[rank] if rank in entry else 0.0


def _document(chunk_id: str, entry: dict[str, Any]) -> Document:
    meta = dict(entry["metadata"])
    meta.update(
        id=chunk_id,
        score=round(entry["score"], 6),
        bm25_rank=entry.get("bm25_rank"),
        dense_rank=entry.get("dense_rank"),
        dense_score=round(entry["dense_score"], 4) if "dense_score" in entry else None,
    )
    return Document(page_content=entry["text"], metadata=meta, id=chunk_id)


class HybridRetriever(BaseRetriever):
    """LangChain face of :class:`Searcher`, so chains can use the same ranking."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Searcher
    k: int = 5
    mode: Mode = "hybrid"
    filters: dict[str, str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return self.searcher.search(query, self.k, mode=self.mode, filters=self.filters)
