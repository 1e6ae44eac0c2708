"""Search: ranked passages for a query."""

from __future__ import annotations

import streamlit as st

from domain.types import Citation
from ui.common import get_assistant, md


def search_page() -> None:
    st.title("Search the guidance")
    query = st.text_input("What are you looking for?", placeholder="e.g. social value, strategic suppliers, SMEs")
    k = st.slider("Passages", 1, 10, 5)
    if query:
        docs = get_assistant().search(query, k=k)
        if not docs:
            st.info("No passages found. Try other words.")
        for rank, doc in enumerate(docs, start=1):
            c = Citation.from_passage(doc.page_content, doc.metadata, rank)
            with st.container(border=True):
                st.markdown(f"**[{rank}]** {md(c.reference())}")
                st.text(doc.page_content)


search_page()
