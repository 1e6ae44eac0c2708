"""Shared fixtures: the real embedding model and a real Chroma store in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant import Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
ARTIFACTS = ROOT / "tests" / "artifacts"


def make_settings(data_dir: Path, **overrides) -> Settings:
    """The test profile: everything as in production but the data folder."""
    return Settings(data_dir=data_dir, **overrides)


@pytest.fixture(scope="session")
def corpus_assistant(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """An assistant over the bundled corpus, ingested once for the whole session."""
    assistant = Assistant(make_settings(tmp_path_factory.mktemp("corpus-store")))
    report = assistant.ingest()
    assert report.count("failed") == 0, report.files
    return assistant


@pytest.fixture()
def empty_assistant(tmp_path: Path) -> Assistant:
    return Assistant(make_settings(tmp_path / "store"))


@pytest.fixture()
def own_corpus_assistant(empty_assistant: Assistant) -> Assistant:
    """An assistant over the bundled corpus in a store of its own: for a test that uploads beside it."""
    empty_assistant.ingest()
    return empty_assistant
