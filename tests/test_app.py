"""Every page's logic through Streamlit's AppTest, on the real store and model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import Assistant
from tests.helpers import make_pdf

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture()
def app(corpus_assistant: Assistant, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PA_DATA_DIR", str(corpus_assistant.settings.data_dir))
    from assistant.settings import get_settings

    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=180)
    yield at
    get_settings.cache_clear()


def test_ask_page_answers_with_sources_and_follow_up(app: AppTest) -> None:
    app.run()
    assert not app.exception
    app.chat_input[0].set_value("What is social value?").run()
    text = " ".join(m.value for m in app.markdown)
    assert "Social value is about improving economic" in text
    assert any("page 17" in e.label for e in app.expander)
    assert any(
        m.value.startswith("Key area: Obtaining social value")
        and "**Help: What it is: Social value is about" in m.value
        for m in app.markdown
    )  # the supporting sentence is highlighted
    app.chat_input[0].set_value("And what about Innovator?").run()
    text = " ".join(m.value for m in app.markdown)
    assert "core operational metric" in text


def test_ask_page_never_renders_html(app: AppTest) -> None:
    app.run()
    app.chat_input[0].set_value("<script>alert('x')</script> what is social value?").run()
    assert not app.exception
    assert all("<script>" not in m.value for m in app.markdown)


def test_assess_page(app: AppTest) -> None:
    app.switch_page("ui/assess.py").run()
    assert not app.exception
    app.text_area[0].input("We ask for social value on a handful of big contracts but not routinely.")
    app.button[0].click().run()
    assert not app.exception
    assert any("Obtaining social value: Developing" in h.value for h in app.subheader)
    ladder = [m.value for m in app.markdown if m.value.startswith(":material/")]
    assert len(ladder) == 5
    # the matched step and the next step are named in words, not shown by colour alone
    assert "**Developing** (matches)" in ladder[1] and "**Mature** (next step)" in ladder[2]
    assert "both say: “social”, “value”, “contracts”" in " ".join(m.value for m in app.markdown)


def test_ask_feedback_and_exports(app: AppTest, corpus_assistant: Assistant) -> None:
    app.run()
    app.chat_input[0].set_value("What is social value?").run()
    assert [b.label for b in app.get("download_button")][:2] == [
        "Download conversation (Word)",
        "Download conversation (Markdown)",
    ]
    before = len(corpus_assistant.feedback.all())
    app.session_state["rating-1"] = 0  # thumbs down
    app.run()
    app.text_input(key="comment-1").input("Too long").run()
    app.button(key="send-1").click().run()
    rows = corpus_assistant.feedback.all()
    assert len(rows) == before + 1 and rows[0]["rating"] == -1 and rows[0]["comment"] == "Too long"
    assert rows[0]["question"] == "What is social value?"


def test_self_assessment_and_training_pages(app: AppTest) -> None:
    app.switch_page("ui/plan.py").run()
    assert not app.exception
    labels = {b.label for b in app.get("download_button")}
    assert labels >= {"Download plan (Word)", "Download plan (Markdown)", "Download table (CSV)", "Save profile"}
    assert any(m.value.startswith("Chart as text: Engaging councillors:") for m in app.markdown)
    assert any("→" in e.label for e in app.expander)
    app.switch_page("ui/train.py").run()
    assert not app.exception
    text = " ".join(m.value for m in app.markdown)
    assert "Learning outcomes" in text and "Answer key: quiz" in text  # the facilitator's tab
    assert {"Handout (Word)", "Facilitator's copy (Word)"} <= {b.label for b in app.get("download_button")}


def test_search_library_and_about_pages(app: AppTest) -> None:
    app.switch_page("ui/search.py").run()
    app.text_input[0].input("micro-businesses").run()
    assert not app.exception and any("micro" in t.value.lower() for t in app.text)
    app.switch_page("ui/library.py").run()
    assert not app.exception and app.dataframe
    table = app.dataframe[0].value
    assert list(table.columns)[:5] == ["Title", "Published", "Publisher", "Pages", "Passages"]
    assert "National Procurement Strategy for Local Government in England 2018" in set(table["Title"])
    # bundled guidance is not offered for removal unless asked for, and nothing is removed without a confirmation
    boxes = {s.label: s for s in app.selectbox}
    if "Document to remove" in boxes:  # uploads from other tests may be listed, never the bundled guidance
        assert all("National Procurement Strategy" not in str(o) for o in boxes["Document to remove"].options)
    else:
        assert any(m.value == "No uploaded documents to remove." for m in app.markdown)
    app.switch_page("ui/about.py").run()
    text = " ".join(m.value for m in app.markdown)
    assert (
        not app.exception and "before the Procurement Act 2023" in text.replace("**", "") and "never leave it" in text
    )


def test_library_upload_rules(corpus_assistant: Assistant, tmp_path: Path) -> None:
    bad = corpus_assistant.add_upload("../../etc/evil.exe", b"MZ...")
    assert bad.status == "failed" and "unsupported" in bad.reason
    pdf = make_pdf(tmp_path / "x.pdf", ["Quokka catering framework\n\nThe quokka framework covers school catering."])
    good = corpus_assistant.add_upload("../../../tmp/quokka notes.pdf", pdf.read_bytes())
    assert good.status == "added" and good.document == "quokka notes.pdf"
    saved = corpus_assistant.settings.data_dir / "uploads" / "quokka notes.pdf"
    assert saved.exists() and saved.resolve().is_relative_to(corpus_assistant.settings.data_dir.resolve())
    assert "quokka" in corpus_assistant.ask("What does the quokka framework cover?").text.lower()
    assert corpus_assistant.remove("quokka notes.pdf").status == "removed" and not saved.exists()
    big = corpus_assistant.add_upload("big.txt", b"a" * int((corpus_assistant.settings.max_file_mb + 1) * 1_048_576))
    assert big.status == "failed" and "limit" in big.reason
    assert not os.path.exists(corpus_assistant.settings.data_dir / "uploads" / "big.txt")
