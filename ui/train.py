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
    d1, d2 = st.columns(2)
    d1.download_button(
        "Download (Word)", lambda: export.to_docx(export.pack_blocks(pack)), "training-pack.docx", mime=DOCX
    )
    d2.download_button(
        "Download (Markdown)", export.to_markdown(export.pack_blocks(pack)), "training-pack.md", mime="text/markdown"
    )
    st.markdown(export.to_markdown(export.pack_blocks(pack)).replace("<", "&lt;"))


train_page()
