"""Training: a session pack for a topic, audience and length, to view and download."""

from __future__ import annotations

import streamlit as st

from assistant import export
from domain.constants import AUDIENCES
from domain.constants import DOCX_MIME as DOCX
from ui.common import get_assistant


def train_page() -> None:
    st.title("Training pack")
    assistant = get_assistant()
    c1, c2, c3 = st.columns(3)
    topic = c1.selectbox("Topic", assistant.training_topics())
    audience = c2.selectbox("Audience", list(AUDIENCES))
    minutes = c3.select_slider("Length (minutes)", [30, 45, 60, 90, 120], value=45)
    pack = assistant.training_pack(topic, audience, minutes)
    handout, facilitator = export.pack_blocks, export.facilitator_blocks
    d1, d2, d3, d4 = st.columns(4)
    d1.download_button("Handout (Word)", lambda: export.to_docx(handout(pack)), "training-handout.docx", mime=DOCX)
    d2.download_button(
        "Handout (Markdown)", export.to_markdown(handout(pack)), "training-handout.md", mime="text/markdown"
    )
    d3.download_button(
        "Facilitator's copy (Word)", lambda: export.to_docx(facilitator(pack)), "training-facilitator.docx", mime=DOCX
    )
    d4.download_button(
        "Facilitator's copy (Markdown)",
        export.to_markdown(facilitator(pack)),
        "training-facilitator.md",
        mime="text/markdown",
    )
    handout_tab, facilitator_tab = st.tabs(["Participants' handout", "Facilitator's copy"])
    handout_tab.markdown(_demoted(export.to_markdown(handout(pack))))
    facilitator_tab.markdown(_demoted(export.to_markdown(facilitator(pack))))


def _demoted(markdown: str) -> str:
    """The pack's headings one level below the page's own title, with HTML shown as text."""
    return markdown.replace("<", "&lt;").replace("\n# ", "\n## ").replace("\n## ", "\n### ").replace("# ", "## ", 1)


train_page()
