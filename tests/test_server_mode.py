"""Client/server mode: a real Chroma server on loopback; ingest from one process, answer from another."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant
from tests.conftest import make_settings
from tests.helpers import free_port, run_cli, wait_for_port

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not Path(CHROMA).exists():
        pytest.skip("the chroma command comes with chromadb")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [CHROMA, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not wait_for_port(port, 60):
        proc.kill()
        pytest.fail("chroma server did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_ingest_in_one_process_answer_from_another(server: int, tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "local", chroma_host="127.0.0.1", chroma_port=server)
    writer = Assistant(settings)
    report = writer.ingest()
    assert report.count("added") == 5 and writer.store.count() > 100
    assert not (tmp_path / "local" / "chroma").exists()  # nothing written locally in server mode

    out = run_cli(
        "ask",
        "What is social value?",
        "--json",
        data_dir=tmp_path / "other",
        chroma_host="127.0.0.1",
        chroma_port=server,
    )
    answer = json.loads(out.stdout)
    assert answer["text"].startswith("Social value is about") and answer["citations"]

    note = tmp_path / "quokka.md"
    note.write_text("# Quokka framework\n\nThe quokka framework covers school catering.\n")
    reader = Assistant(make_settings(tmp_path / "reader", chroma_host="127.0.0.1", chroma_port=server))
    assert reader.search("quokka", k=1, mode="bm25") == []
    writer.ingest([note])  # another instance's upload is seen without a restart
    assert "quokka" in reader.search("quokka", k=1, mode="bm25")[0].page_content.lower()


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.store import StoreError

    settings = make_settings(tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(StoreError, match=r"Chroma server at 127\.0\.0\.1"):
        _ = Assistant(settings).store
    out = run_cli("stats", check=False, chroma_host="127.0.0.1", chroma_port=settings.chroma_port)
    assert out.returncode == 1 and "error: cannot use the Chroma server" in out.stderr and "Traceback" not in out.stderr
