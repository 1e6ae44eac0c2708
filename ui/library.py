"""Library: the indexed documents; upload, inspect and remove."""

from __future__ import annotations

import streamlit as st

from ui.common import get_assistant


def library_page() -> None:
    st.title("Library")
    assistant = get_assistant()
    s = assistant.settings
    uploads = st.file_uploader(
        f"Add documents (PDF, Word, text, HTML; up to {s.max_file_mb:g} MB each)",
        type=[s.lstrip(".") for s in get_assistant().upload_types],
        accept_multiple_files=True,
    )
    if uploads and st.button("Index these files", type="primary"):
        bar = st.progress(0.0)
        for i, upload in enumerate(uploads, start=1):
            result = assistant.add_upload(upload.name, upload.getvalue())
            bar.progress(i / len(uploads), text=upload.name)
            if result.status == "failed":
                st.error(f"{result.document}: {result.reason}")
            else:
                st.success(f"{result.document}: {result.status} ({result.chunks} passages)")
    docs = assistant.documents()
    st.write(f"{len(docs)} documents, {sum(d['chunks'] for d in docs)} passages indexed.")
    st.dataframe(docs, hide_index=True, use_container_width=True)
    with st.expander("Feedback on answers"):
        st.dataframe(assistant.feedback.all(), hide_index=True, use_container_width=True)
    names = [d["document"] for d in docs]
    if names:
        chosen = st.selectbox("Document", names)
        col1, col2 = st.columns(2)
        if col1.toggle("Show its passages"):
            for chunk in assistant.chunks(chosen)[:200]:
                with st.expander(
                    f"{chunk.metadata.get('section') or '(no section)'} — page {chunk.metadata.get('page') or '-'}"
                ):
                    st.text(chunk.page_content)
        if col2.button("Remove this document"):
            result = assistant.remove(chosen)
            st.success(f"Removed {result.document} ({result.chunks} passages)")
            st.rerun()


library_page()
