"""Library: the indexed documents; upload, inspect and remove."""

from __future__ import annotations

import streamlit as st

from ui.common import get_assistant, note


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
    if "removed" in st.session_state:  # survives the refresh that follows a removal
        st.success(st.session_state.pop("removed"))
    docs = assistant.documents()
    st.write(f"{len(docs)} documents, {sum(d['chunks'] for d in docs)} passages indexed.")
    rows = [
        {
            "Title": d["title"] or d["document"],
            "Published": d["date"] or "—",
            "Publisher": d["publisher"] or ("uploaded" if not d["bundled"] else "—"),
            "Pages": d["pages"] or "—",
            "Passages": d["chunks"],
            "Added": d["indexed_at"],
            "Source": "bundled guidance" if d["bundled"] else "uploaded",
        }
        for d in docs
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    with st.expander("Feedback on answers"):
        st.dataframe(assistant.feedback.all(), hide_index=True, width="stretch")
    if not docs:
        return
    titles = {d["document"]: d["title"] or d["document"] for d in docs}
    chosen = st.selectbox("Document", list(titles), format_func=titles.get)
    if st.toggle("Show its passages"):
        for chunk in assistant.chunks(chosen)[:200]:
            m = chunk.metadata
            where = m.get("section") or (chunk.page_content.strip().split("\n")[0][:60] + "…")
            with st.expander(f"{where} — page {m.get('page') or '—'}"):
                st.text(chunk.page_content)
    st.subheader("Remove a document")
    allow_bundled = st.checkbox("Also list the bundled guidance (it comes back at the next start)")
    removable = [d["document"] for d in docs if allow_bundled or not d["bundled"]]
    if not removable:
        note("No uploaded documents to remove.")
        return
    target = st.selectbox("Document to remove", removable, format_func=titles.get, index=None, placeholder="Choose…")
    confirmed = bool(target) and st.checkbox(f"Yes, remove “{titles.get(target)}” and its passages")
    if confirmed and st.button("Remove", type="primary"):
        result = assistant.remove(target)
        st.session_state["removed"] = f"Removed {titles[target]} ({result.chunks} passages)."
        st.rerun()


library_page()
