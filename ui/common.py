"""What every page shares: the one Assistant per process, and safe rendering of document text."""

from __future__ import annotations

import re

import streamlit as st

from assistant import Assistant
from domain.types import Answer, Citation


@st.cache_resource(show_spinner="Loading the guidance (the first run indexes the bundled corpus)…")
def get_assistant() -> Assistant:
    """One assistant per process: the model and the store load once and are shared by sessions."""
    assistant = Assistant()
    assistant.ensure_corpus()
    return assistant


def md(text: str) -> str:
    """Escape Markdown and HTML so document text is shown exactly as written."""
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_{}\[\]()#+!|~])", r"\\\1", text)


def note(text: str) -> None:
    """Secondary text at full contrast: Streamlit's grey captions fail WCAG AA contrast (axe-core, 4.5:1)."""
    st.markdown(text)


def source_line(c: Citation) -> str:
    return f"**[{c.n}]** {md(c.reference())}" + (" *(related)*" if c.related else "")


def highlighted(quote: str, sentence: str | None) -> str:
    """The passage as escaped Markdown, with the supporting sentence in bold."""
    if not sentence or sentence not in quote:
        return md(quote).replace("\n", "  \n")
    before, after = quote.split(sentence, 1)
    return (md(before) + "**" + md(sentence) + "**" + md(after)).replace("\n", "  \n")


def show_sources(answer: Answer) -> None:
    for c in answer.citations:
        with st.expander(source_line(c)):
            st.markdown(highlighted(c.quote, Assistant.supporting_sentence(answer, c.n)))
    terms = [] if answer.refused else get_assistant().terms_in(answer.text)
    if terms:
        note("Terms: " + "; ".join(f"**{md(t['term'])}**: {md(t['meaning'])}" for t in terms))


# -- pages -------------------------------------------------------------------------------
