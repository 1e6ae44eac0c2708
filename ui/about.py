"""About: what the guidance is, what the assistant will and won't do, and privacy, for a councillor."""

from __future__ import annotations

import streamlit as st

from ui.common import get_assistant, md


def about_page() -> None:
    st.title("About this assistant")
    assistant = get_assistant()
    docs = assistant.documents()
    bundled = [d for d in docs if d["bundled"]]
    st.header("What it answers from", divider="gray")
    st.markdown(
        "The assistant answers from the **National Procurement Strategy for Local Government in England 2018** "
        "(Local Government Association and National Advisory Group) and a few related pages. The strategy was "
        "written in 2018, **before the Procurement Act 2023** and the procurement rules that came in with it, so "
        "it does not cover thresholds, procedures or notices under the Act. Check current law and your council's "
        "contract procedure rules for those."
    )
    st.markdown("Bundled guidance:")
    for d in bundled:
        st.markdown(f"- {md(d['title'] or d['document'])} ({md(d['date'] or 'undated')}; {md(d['publisher'] or '')})")
    uploaded = len(docs) - len(bundled)
    if uploaded:
        st.markdown(f"Plus {uploaded} document(s) added in the Library.")
    st.header("What it will and won't do", divider="gray")
    st.markdown(
        "- It **answers questions** with sentences taken from the guidance, each with a numbered source you can "
        "open.\n"
        "- When the guidance does not cover a question it **says so**, and offers the nearest passage it does hold, "
        "marked as related. It does not guess or invent figures.\n"
        "- It **suggests a maturity level** for a practice you describe, says how sure it is, and shows the next "
        "step. The suggestion is a starting point for discussion, not an official rating.\n"
        "- It drafts **objectives** and **training packs** from the strategy's own wording for you to edit.\n"
        "- It gives **no legal advice** and knows nothing about individual councils, suppliers or contracts."
    )
    st.header("Privacy", divider="gray")
    st.markdown(
        "Everything runs on this computer. Questions, descriptions and uploaded documents **never leave it**: "
        "there is no internet connection and no outside service. Ratings and comments on answers are stored in a "
        "file on this computer (the Library lists them) so the team can improve the assistant."
    )
    st.header("Technical details", divider="gray")
    s = assistant.settings
    mode = (
        "answers built from the guidance (no language model)"
        if assistant.mode == "grounded"
        else (f"a language model ({md(s.llm_provider)}) rewords answers, checked against the guidance")
    )
    st.markdown(f"- Answer mode: {mode}\n- Guidance version: {md(assistant.corpus_version)}")


about_page()
