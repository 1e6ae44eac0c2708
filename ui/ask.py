"""Ask: a chat with streamed, cited answers."""

from __future__ import annotations

import streamlit as st

from assistant.ask.types import Answer
from ui.common import get_assistant, md, show_sources

STARTERS = [
    "What is social value?",
    "What should I ask about our strategic suppliers?",
    "What are the three themes of the strategy?",
    "Why does engaging councillors in procurement matter?",
]


def ask_page() -> None:
    st.title("Ask about the guidance")
    st.caption("Short answers from the National Procurement Strategy 2018 and related guidance, with sources.")
    assistant = get_assistant()
    history: list[dict] = st.session_state.setdefault("history", [])
    if st.button("New conversation", disabled=not history):
        history.clear()
        st.rerun()
    for turn in history:
        with st.chat_message(turn["role"]):
            st.markdown(md(turn["content"]))
            if turn.get("answer") is not None:
                show_sources(turn["answer"])
    picked = None
    if not history:
        st.write("Try one of these:")
        cols = st.columns(len(STARTERS))
        for col, starter in zip(cols, STARTERS, strict=True):
            if col.button(starter, use_container_width=True):
                picked = starter
    question = st.chat_input("Ask a question about council procurement guidance") or picked
    if not question:
        return
    with st.chat_message("user"):
        st.markdown(md(question))
    past = [{"role": t["role"], "content": t["content"]} for t in history]
    with st.chat_message("assistant"):
        final: Answer | None = None

        def tokens():
            nonlocal final
            for piece in assistant.ask_stream(question, past):
                if isinstance(piece, Answer):
                    final = piece
                else:
                    yield piece

        placeholder = st.empty()
        with placeholder.container():
            st.write_stream(tokens())
        placeholder.markdown(md(final.text))  # the verified answer replaces what was streamed
        if final.notice:
            st.info(final.notice)
        show_sources(final)
    history.append({"role": "user", "content": question})
    history.append({"role": "assistant", "content": final.text, "answer": final})


ask_page()
