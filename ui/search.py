"""Search: ranked passages for a query."""

from __future__ import annotations

import streamlit as st

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
            m = doc.metadata
            page = f", page {m['page']}" if m.get("page") else ""
            with st.container(border=True):
                st.markdown(f"**[{rank}]** {md(m.get('title') or '')}{page} — {md(m.get('section') or '')}")
                st.text(doc.page_content)


search_page()
