"""What every page shares: the one Assistant per process, and safe rendering of document text."""

from __future__ import annotations

import re

import streamlit as st

from assistant import Assistant
from assistant.ask.language import glossary
from assistant.ask.types import Answer, Citation
from assistant.ask.verify import supporting_sentence


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


def source_line(c: Citation) -> str:
    page = f", page {c.page}" if c.page else ""
    section = f" — {c.section}" if c.section else ""
    return f"**[{c.n}]** {md(c.title)}{page}{md(section)}" + (" *(related)*" if c.related else "")


def highlighted(quote: str, sentence: str | None) -> str:
    """The passage as escaped Markdown, with the supporting sentence in bold."""
    if not sentence or sentence not in quote:
        return md(quote).replace("\n", "  \n")
    before, after = quote.split(sentence, 1)
    return (md(before) + "**" + md(sentence) + "**" + md(after)).replace("\n", "  \n")


def show_sources(answer: Answer) -> None:
    for c in answer.citations:
        with st.expander(source_line(c)):
            st.markdown(highlighted(c.quote, supporting_sentence(answer, c.n)))
    terms = glossary(get_assistant().settings.corpus_dir).found_in(answer.text)
    if terms:
        st.caption("Terms: " + "; ".join(f"**{md(t['term'])}**: {md(t['meaning'])}" for t in terms))


# -- pages -------------------------------------------------------------------------------
