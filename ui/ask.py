"""Ask: a chat with streamed, cited answers."""

from __future__ import annotations

import streamlit as st

from assistant import export
from domain.constants import DOCX_MIME
from domain.types import Answer
from ui.common import get_assistant, md, note, show_sources

STARTERS = [
    "What is social value?",
    "What should I ask about our strategic suppliers?",
    "What are the three themes of the strategy?",
    "Why does engaging councillors in procurement matter?",
]


def ask_page() -> None:
    st.title("Ask about the guidance")
    note("Short answers from the National Procurement Strategy 2018 and related guidance, with sources.")
    assistant = get_assistant()
    history: list[dict] = st.session_state.setdefault("history", [])
    if st.button("New conversation", disabled=not history):
        history.clear()
        st.rerun()
    for i, turn in enumerate(history):
        with st.chat_message(turn["role"]):
            st.markdown(md(turn["content"]))
            if turn.get("answer") is not None:
                show_sources(turn["answer"])
                feedback(i, history)
    if history:
        conversation = list(export.conversation_blocks(history))
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download conversation (Word)",
            lambda: export.to_docx(iter(conversation)),  # built only when clicked, not on every rerun
            "conversation.docx",
            mime=DOCX_MIME,
        )
        c2.download_button(
            "Download conversation (Markdown)",
            lambda: export.to_markdown(iter(conversation)),
            "conversation.md",
            mime="text/markdown",
        )
    picked = None
    if not history:
        st.write("Try one of these:")
        for starter in STARTERS:  # one a line: long questions wrap instead of being cut off in narrow columns
            if st.button(starter, width="stretch"):
                picked = starter
    question = st.chat_input("Ask a question about council procurement guidance", submit_mode="disable") or picked
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
    st.rerun()


def feedback(i: int, history: list[dict]) -> None:
    """Thumbs up/down and an optional comment, stored once per answer."""
    turn = history[i]
    if turn.get("rated"):
        note("Thanks for your feedback.")
        return
    rating = st.feedback("thumbs", key=f"rating-{i}")
    if rating is None:
        return
    comment = st.text_input("Anything to add? (optional)", key=f"comment-{i}")
    if st.button("Send feedback", key=f"send-{i}"):
        question = history[i - 1]["content"] if i else ""
        get_assistant().feedback.record(question, turn["content"], 1 if rating == 1 else -1, comment)
        turn["rated"] = True
        st.rerun()


ask_page()
