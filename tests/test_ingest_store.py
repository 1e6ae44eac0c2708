"""Ingest into a real Chroma store with the real model: idempotent, replaceable, fault tolerant."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import Assistant
from assistant.indexer import safe_filename
from tests.conftest import ROOT, SEEDS, make_settings
from tests.helpers import make_docx, make_encrypted_pdf, make_pdf, product_env


def _doc_ids(assistant: Assistant, document: str) -> list[str]:
    return [i for i, _, _ in assistant.store.rows({"document": document}, with_text=False)]


def test_bundled_corpus_manifest_describes_every_document() -> None:
    manifest = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text())
    assert len(manifest["documents"]) == 5
    for entry in manifest["documents"]:
        assert {"title", "publisher", "date", "kind"} <= set(entry)
        assert (ROOT / "corpus" / entry["file"]).stat().st_size > 1000


@pytest.mark.skipif(not SEEDS.exists(), reason=f"the seed documents are not beside this checkout ({SEEDS})")
def test_bundled_corpus_is_the_seeds_unchanged() -> None:
    manifest = yaml.safe_load((ROOT / "corpus" / "manifest.yaml").read_text())
    for entry in manifest["documents"]:
        assert (ROOT / "corpus" / entry["file"]).read_bytes() == (SEEDS / entry["file"]).read_bytes()


def test_corpus_ingest_then_reingest_writes_nothing(corpus_assistant: Assistant) -> None:
    stats = corpus_assistant.stats()
    assert stats["documents"] == 5 and stats["chunks"] > 100
    before = corpus_assistant.store.generation()
    again = corpus_assistant.ingest()
    assert again.count("unchanged") == 5 and again.chunks_written == 0
    assert corpus_assistant.store.generation() == before


def test_changed_file_replaces_its_chunks_and_removal(empty_assistant: Assistant, tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text("# Social value policy\n\nWe weight social value at 10 per cent of the score.\n")
    assert empty_assistant.ingest([path]).count("added") == 1
    old = set(_doc_ids(empty_assistant, "policy.md"))
    path.write_text("# Social value policy\n\nWe weight social value at 20 per cent of the score.\n")
    report = empty_assistant.ingest([path])
    assert report.count("updated") == 1
    new = set(_doc_ids(empty_assistant, "policy.md"))
    assert new and not (new & old)
    top = empty_assistant.search("social value weighting", k=1)[0]
    assert "20 per cent" in top.page_content
    assert empty_assistant.remove("policy.md").status == "removed"
    assert _doc_ids(empty_assistant, "policy.md") == []
    assert empty_assistant.search("social value weighting", k=1) == []


def test_bad_files_are_reported_and_the_rest_goes_in(empty_assistant: Assistant, tmp_path: Path) -> None:
    good_pdf = make_pdf(tmp_path / "registers.pdf", ["Contract registers\n\nPublish the contract register monthly."])
    good_docx = make_docx(tmp_path / "days.docx", "Supplier days", ["Hold a supplier day every spring."])
    empty_assistant.ingest([good_pdf])
    kept = set(_doc_ids(empty_assistant, "registers.pdf"))

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.pdf").write_bytes(b"")
    (bad / "junk.pdf").write_bytes(b"%PDF-1.4 garbage" * 50)
    (bad / "junk.docx").write_bytes(os.urandom(2048))
    make_encrypted_pdf(bad / "locked.pdf", "secret")
    truncated = make_pdf(tmp_path / "t.pdf", ["word " * 2000])
    (bad / "truncated.pdf").write_bytes(truncated.read_bytes()[:400])
    huge = bad / "huge.txt"
    huge.write_bytes(b"a" * int(1.2 * 1_048_576))
    small = Assistant(make_settings(empty_assistant.settings.data_dir, max_file_mb=1))

    report = small.ingest([good_pdf, good_docx, bad])
    status = {f.document: (f.status, f.reason) for f in report.files}
    assert status["registers.pdf"][0] == "unchanged"
    assert status["days.docx"][0] == "added"
    for name in ("empty.pdf", "junk.pdf", "junk.docx", "locked.pdf", "truncated.pdf", "huge.txt"):
        assert status[name][0] == "failed" and status[name][1], name
    assert "limit" in status["huge.txt"][1] and "empty" in status["empty.pdf"][1]
    assert set(_doc_ids(small, "registers.pdf")) == kept


def test_store_survives_a_killed_ingest_and_the_next_ingest_completes(tmp_path: Path) -> None:
    """SIGKILL an ingest of many files part-way; the store stays readable; a rerun completes it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(120):
        (docs / f"note{i:03}.md").write_text(f"# Note {i}\n\n" + f"Contract note number {i} about supplier days. " * 80)
    data = tmp_path / "store"
    env = product_env(data_dir=data)
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", str(docs), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    probe = Assistant(make_settings(data))
    while time.time() < deadline:
        time.sleep(0.5)
        try:
            if probe.store.count() > 0:
                break
        except Exception:
            continue
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    survivor = Assistant(make_settings(data))
    partial = survivor.store.count()
    assert partial > 0
    report = survivor.ingest([docs])
    assert report.count("failed") == 0
    assert report.count("added") + report.count("updated") > 0, "the kill came after the ingest had finished"
    ids = [i for i, _, _ in survivor.store.rows(with_text=False)]
    per_doc = Counter(m["document"] for _, _, m in survivor.store.rows(with_text=False))
    assert len(ids) == len(set(ids))
    assert set(per_doc) == {f"note{i:03}.md" for i in range(120)}
    for _, _, meta in survivor.store.rows(with_text=False):
        assert meta["chunk_count"] == per_doc[meta["document"]]
    assert survivor.ingest([docs]).count("unchanged") == 120


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.sampled_from(["..", "../../etc/passwd", "..\\..\\win.ini", "/x.pdf", "a/../b.md"]))
def test_upload_names_never_leave_the_uploads_folder(name: str) -> None:
    folder = Path("/srv/pa/uploads")
    safe = safe_filename(name)
    assert "/" not in safe and "\\" not in safe and safe not in (".", "..") and "\x00" not in safe
    if safe:
        assert (folder / safe).resolve().parent == folder


def test_start_up_refreshes_a_corpus_indexed_by_an_older_version(empty_assistant: Assistant) -> None:
    assert empty_assistant.ensure_corpus().count("added") == 5  # first run
    before = empty_assistant.store.count()
    ids = [i for i, _, _ in empty_assistant.store.rows({"document": "003_265303a654000999.txt"}, with_text=False)]
    empty_assistant.store.upsert(  # as an older chunker would have left it: other fingerprint, one stray passage
        [*ids, "stale-passage"],
        ["old text"] * (len(ids) + 1),
        [{"document": "003_265303a654000999.txt", "file_hash": "older", "chunk_count": len(ids) + 1}] * (len(ids) + 1),
    )
    report = empty_assistant.ensure_corpus()
    assert (report.count("updated"), report.count("unchanged")) == (1, 4)
    assert empty_assistant.store.count() == before
    assert "old text" not in {t for _, t, _ in empty_assistant.store.rows({"document": "003_265303a654000999.txt"})}
    assert empty_assistant.ensure_corpus().count("unchanged") == 5  # and the next start writes nothing


def test_a_failed_new_version_of_an_upload_keeps_the_old_one(empty_assistant: Assistant, tmp_path: Path) -> None:
    first = make_pdf(tmp_path / "v1.pdf", ["Quokka framework\n\nThe quokka framework covers school catering."])
    assert empty_assistant.add_upload("quokka.pdf", first.read_bytes()).status == "added"
    before = [(d.id, d.page_content) for d in empty_assistant.chunks("quokka.pdf")]

    broken = first.read_bytes()[: len(first.read_bytes()) // 3]  # a truncated second version
    result = empty_assistant.add_upload("quokka.pdf", broken)
    assert result.status == "failed" and result.reason
    uploads = empty_assistant.settings.data_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["quokka.pdf"]
    assert (uploads / "quokka.pdf").read_bytes() == first.read_bytes()
    assert [(d.id, d.page_content) for d in empty_assistant.chunks("quokka.pdf")] == before
