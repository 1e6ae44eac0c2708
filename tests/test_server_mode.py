"""Client/server mode: a real Chroma server on loopback; ingest from one process, answer from another."""

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
from tests.helpers import ChromaServer, free_port, run_cli
from tests.test_app import APP


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    if not Path(ChromaServer(Path()).command).exists():
        pytest.skip("the chroma command comes with chromadb")
    running = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    yield running.port
    running.kill()


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
    run_cli("ingest", str(note), data_dir=tmp_path / "other", chroma_host="127.0.0.1", chroma_port=server)
    # another process's upload is seen here without a restart, by keyword and by meaning
    assert "quokka" in reader.search("quokka", k=1, mode="bm25")[0].page_content.lower()
    assert "quokka" in reader.ask("What does the quokka framework cover?").text.lower()

    removed = reader.remove("quokka.md")  # and a removal here is seen by the writer
    assert removed.status == "removed" and writer.search("quokka", k=1, mode="bm25") == []


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, chroma_host="127.0.0.1", chroma_port=free_port())
    with pytest.raises(StoreError, match=r"Chroma server at 127\.0\.0\.1"):
        _ = Assistant(settings).store
    out = run_cli("stats", check=False, chroma_host="127.0.0.1", chroma_port=settings.chroma_port)
    assert out.returncode == 1 and "Chroma server at 127.0.0.1" in out.stderr and "is not reachable" in out.stderr
    assert "Traceback" not in out.stderr


def test_server_going_away_mid_session_then_coming_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = ChromaServer(tmp_path / "server").start()
    try:
        settings = make_settings(tmp_path / "local", chroma_host="127.0.0.1", chroma_port=server.port)
        assistant = Assistant(settings)
        assistant.ingest()
        before = assistant.store.count()
        first = assistant.ask("What is social value?")
        monkeypatch.setenv("PA_CHROMA_HOST", "127.0.0.1")
        monkeypatch.setenv("PA_CHROMA_PORT", str(server.port))
        monkeypatch.setenv("PA_DATA_DIR", str(tmp_path / "app"))
        get_settings.cache_clear()
        st.cache_resource.clear()
        app = AppTest.from_file(APP, default_timeout=120).run()
        app.chat_input[0].set_value("What is social value?").run()
        assert not app.exception and not app.error

        server.kill()
        for call in (
            lambda: assistant.ask("What are TOMs?"),
            lambda: assistant.assess("We publish a contract register"),
            lambda: assistant.search("social value"),
            assistant.ingest,
        ):
            with pytest.raises(StoreError, match="is not reachable") as err:
                call()
            assert err.value.kind == "unreachable" and "Nothing stored has been lost" in str(err.value)
        result = assistant.add_upload("note.txt", b"The council publishes a forward plan of contracts.")
        assert result.status == "failed" and "not reachable" in result.reason
        assert not (tmp_path / "local" / "uploads" / "note.txt").exists()

        app.chat_input[0].set_value("What are TOMs?").run()
        assert not app.exception and any("is not reachable" in e.value for e in app.error)
        env = {"chroma_host": "127.0.0.1", "chroma_port": server.port, "data_dir": tmp_path / "cli"}
        out = run_cli("chat", input="What is social value?\n\n", check=False, **env)
        assert out.returncode == 0 and "is not reachable" in out.stderr and "Traceback" not in out.stderr

        server.start()  # same path and port: everything is back, nothing lost, no restart of ours needed
        assert assistant.store.count() == before
        assert assistant.ask("What is social value?").text == first.text
        assert assistant.add_upload("note.txt", b"The council publishes a forward plan of contracts.").status == "added"
        app.chat_input[0].set_value("What are TOMs?").run()
        assert not app.exception and not app.error
        assert any("national themes, outputs and measures" in m.value for m in app.markdown)
    finally:
        server.kill()
        get_settings.cache_clear()
        st.cache_resource.clear()
