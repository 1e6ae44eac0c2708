"""The vector store: one Chroma collection, embedded on disk or on a Chroma server.

Both modes share this code path; only the client differs. We always hand Chroma our own
embedding function (its default downloads a model) and turn its telemetry off.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import chromadb
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings

from assistant.embeddings import Embedder
from assistant.faults import StoreError, explain
from assistant.settings import Settings

PAGE = 2000  # rows per Chroma read/write call: keeps requests small in server mode


class _OurEmbeddings(EmbeddingFunction[Documents]):
    """Adapter so Chroma embeds with our model, never its downloaded default."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "procurement-assistant"

    def get_config(self) -> dict[str, Any]:
        return {"model": self._embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _OurEmbeddings:  # pragma: no cover - not used
        raise NotImplementedError("pass the embedder explicitly")


@dataclass(frozen=True)
class Hit:
    id: str
    text: str
    metadata: dict[str, Any]
    distance: float


def _clean(meta: dict[str, Any]) -> dict[str, Any]:
    """Chroma stores no None; we store "" and give None back."""
    return {k: (None if v == "" else v) for k, v in (meta or {}).items()}


class GuidanceStore:
    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if settings.chroma_host:
                self.client = chromadb.HttpClient(
                    host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
                )
            else:
                settings.chroma_path.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
            self.collection = self.client.get_or_create_collection(
                name=settings.collection,
                embedding_function=_OurEmbeddings(embedder),
                configuration={"hnsw": {"space": "cosine"}},
            )
        except Exception as exc:
            if not settings.chroma_host:
                # Chroma keeps one system per folder in a class-level registry, and a client that failed to
                # start stays there, so the next open of the same folder fails too. Its only public remedy,
                # SharedSystemClient.clear_system_cache(), forgets every folder's system in the process
                # (other stores' clients included), so we drop just this folder's entry instead.
                SharedSystemClient._identifier_to_system.pop(str(settings.chroma_path), None)
            raise self._explain(exc) from exc

    def _explain(self, exc: Exception) -> StoreError:
        where = (
            f"the guidance store (Chroma server at {self.settings.chroma_host}:{self.settings.chroma_port})"
            if self.settings.chroma_host
            else f"the guidance store (folder {self.settings.chroma_path})"
        )
        return explain(exc, where)

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            raise self._explain(exc) from exc

    # -- writing -------------------------------------------------------------------------
    def upsert(self, ids: list[str], texts: list[str], metadatas: list[dict[str, Any]]) -> None:
        for start in range(0, len(ids), PAGE):
            sl = slice(start, start + PAGE)
            vectors = self.embedder.embed(texts[sl])
            metas = [{k: ("" if v is None else v) for k, v in m.items()} for m in metadatas[sl]]
            self._call(self.collection.upsert, ids=ids[sl], documents=texts[sl], metadatas=metas, embeddings=vectors)

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), PAGE):
            self._call(self.collection.delete, ids=ids[start : start + PAGE])

    def bump_generation(self) -> str:
        """Mark the collection as changed so other processes rebuild their keyword index."""
        generation = uuid.uuid4().hex
        self._call(self.collection.modify, metadata={"generation": generation})
        return generation

    # -- reading -------------------------------------------------------------------------
    def generation(self) -> str:
        collection = self._call(self.client.get_collection, self.settings.collection)
        return str((collection.metadata or {}).get("generation", ""))

    def count(self) -> int:
        return int(self._call(self.collection.count))

    def rows(self, where: dict[str, Any] | None = None, *, with_text: bool = True) -> Iterator[tuple[str, str, dict]]:
        """Every (id, text, metadata), read in pages."""
        include = ["metadatas", "documents"] if with_text else ["metadatas"]
        offset = 0
        while True:
            got = self._call(self.collection.get, where=where, include=include, limit=PAGE, offset=offset)
            ids = got["ids"]
            if not ids:
                return
            texts = got.get("documents") or [""] * len(ids)
            for id_, text, meta in zip(ids, texts, got["metadatas"], strict=True):
                yield id_, text or "", _clean(meta)
            offset += len(ids)

    def query(self, vector, n: int, where: dict[str, Any] | None = None) -> list[Hit]:
        n = min(n, self.count())
        if n <= 0:
            return []
        got = self._call(
            self.collection.query,
            query_embeddings=[vector],
            n_results=n,
            where=where,
            include=["metadatas", "documents", "distances"],
        )
        return [
            Hit(i, t or "", _clean(m), float(d))
            for i, t, m, d in zip(
                got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True
            )
        ]
