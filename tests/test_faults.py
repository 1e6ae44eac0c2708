"""Faults: a full disk and a read-only data folder, on real (tmpfs) file systems.

Each fault must give a plain message (no traceback) and lose or half-write nothing:
the store keeps the same passages, uploads leave no file behind, and everything works
again once the fault is cleared.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant import Assistant
from assistant.faults import StoreError
from assistant.settings import get_settings
from tests.conftest import make_settings
from tests.helpers import fill_disk, remount, run_cli, small_disk
from tests.test_app import APP

NOTE = "\n\n".join(
    f"Section {i}. The council publishes a forward plan of contracts so suppliers can prepare bids early."
    for i in range(600)
)  # about 60 KB: dozens of passages


def snapshot(assistant: Assistant) -> tuple[int, list[tuple[str, int]], str]:
    """What must survive a fault: passage count, documents with their passage counts, and an answer."""
    docs = [(d["document"], d["chunks"]) for d in assistant.documents()]
    return assistant.store.count(), docs, assistant.ask("What is social value?").text


def leftovers(data_dir: Path) -> list[str]:
    uploads = data_dir / "uploads"
    return sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []


def test_full_disk_gives_a_clear_message_and_keeps_everything(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", 64) as disk:
        assistant = Assistant(make_settings(disk))
        assert assistant.ingest().count("failed") == 0
        before = snapshot(assistant)
        filler = fill_disk(disk)

        # no room even for the uploaded bytes
        result = assistant.add_upload("forward-plan.txt", NOTE.encode())
        assert result.status == "failed" and "full disk" in result.reason and "Free some disk space" in result.reason
        assert leftovers(disk) == []

        # room for the file but not for its passages: the store refuses the write
        filler.unlink()
        fill_disk(disk, leave=len(NOTE) + 8192)
        result = assistant.add_upload("forward-plan.txt", NOTE.encode())
        assert result.status == "failed" and "full disk" in result.reason, result
        assert leftovers(disk) == []
        assert snapshot(assistant) == before  # nothing lost, nothing half-written

        fill_disk(disk)
        with pytest.raises(StoreError, match="full disk") as err:
            assistant.feedback.record("q", "a", 1)
        assert err.value.kind == "full"

        out = run_cli("ingest", str(tmp_path / "missing.txt"), check=False, data_dir=disk)
        assert "Traceback" not in out.stderr

        (disk / "filler.bin").unlink()  # space freed: the same upload now works
        result = assistant.add_upload("forward-plan.txt", NOTE.encode())
        assert result.status == "added" and result.chunks > 10
        assert assistant.store.count() == before[0] + result.chunks
        assert assistant.search("forward plan of contracts", k=1)[0].metadata["document"] == "forward-plan.txt"


def cli_snapshot(data_dir: Path) -> tuple[dict, str]:
    """Passages per document and one answer, read by a separate process (this one keeps no file open)."""
    stats = json.loads(run_cli("stats", "--json", data_dir=data_dir).stdout)
    answer = json.loads(run_cli("ask", "What is social value?", "--json", data_dir=data_dir).stdout)
    return {d["document"]: d["chunks"] for d in stats["items"]}, answer["text"]


def test_read_only_data_folder_gives_a_clear_message_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with small_disk(tmp_path / "disk", 64) as disk:
        run_cli("ingest", data_dir=disk)
        before = cli_snapshot(disk)
        remount(disk, "ro")
        try:
            with pytest.raises(StoreError, match="is read-only") as err:
                _ = Assistant(make_settings(disk)).store
            assert err.value.kind == "read_only" and "PA_DATA_DIR" in str(err.value)
            result = Assistant(make_settings(disk)).add_upload("forward-plan.txt", NOTE.encode())
            assert result.status == "failed" and "read-only" in result.reason
            with pytest.raises(StoreError, match="is read-only"):
                Assistant(make_settings(disk)).feedback.record("q", "a", 1)

            for args in (("ask", "What is social value?"), ("ingest",), ("stats",)):
                out = run_cli(*args, check=False, data_dir=disk)
                assert out.returncode == 1, (args, out.stdout)
                assert "is read-only" in out.stderr and "PA_DATA_DIR" in out.stderr and "Traceback" not in out.stderr

            monkeypatch.setenv("PA_DATA_DIR", str(disk))
            get_settings.cache_clear()
            st.cache_resource.clear()
            app = AppTest.from_file(APP, default_timeout=120).run()
            assert not app.exception
            assert any("is read-only" in e.value for e in app.error)
        finally:
            get_settings.cache_clear()
            st.cache_resource.clear()
            remount(disk, "rw")
        assert leftovers(disk) == []
        assert cli_snapshot(disk) == before
        assert Assistant(make_settings(disk)).store.count() == sum(before[0].values())  # this process recovers too
