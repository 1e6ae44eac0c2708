"""Streamlit app: the product as most people meet it. A thin surface over ``assistant.Assistant``.

Run with ``make run`` (or ``streamlit run app.py``). Document text is always shown as plain
text, never as HTML.
"""

from __future__ import annotations

import streamlit as st

from assistant import Assistant
from assistant.store import StoreError

st.set_page_config(page_title="Procurement Assistant", page_icon="📘", layout="wide")


@st.cache_resource(show_spinner="Loading the guidance (first run indexes the bundled corpus)…")
def get_assistant() -> Assistant:
    """One assistant per process: the model and the store load once."""
    assistant = Assistant()
    assistant.ensure_corpus()
    return assistant


def _source_line(meta: dict) -> str:
    page = f", page {meta['page']}" if meta.get("page") else ""
    return f"{meta.get('title')}{page} — {meta.get('section') or ''}"


def search_page() -> None:
    st.title("Search the guidance")
    st.caption("National Procurement Strategy for Local Government in England 2018 and related guidance.")
    assistant = get_assistant()
    query = st.text_input("What are you looking for?", placeholder="e.g. social value, strategic suppliers, SMEs")
    k = st.slider("Passages", 1, 10, 5)
    if query:
        docs = assistant.search(query, k=k)
        if not docs:
            st.info("No passages found. Try other words.")
        for rank, doc in enumerate(docs, start=1):
            with st.container(border=True):
                st.markdown(f"**[{rank}]** {_source_line(doc.metadata)}")
                st.text(doc.page_content)


def library_page() -> None:
    st.title("Library")
    stats = get_assistant().stats()
    st.write(f"{stats['documents']} documents, {stats['chunks']} passages indexed.")
    st.dataframe(stats["items"], hide_index=True, use_container_width=True)


def main() -> None:
    try:
        get_assistant()
    except StoreError as exc:
        st.error(f"The guidance store is not available: {exc}")
        st.stop()
    page = st.navigation([st.Page(search_page, title="Search", icon="🔎"), st.Page(library_page, title="Library")])
    page.run()


main()
