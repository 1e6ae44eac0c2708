"""Streamlit app: the product as most people meet it. Run with ``make run`` (or ``streamlit run app.py``).

A thin surface over ``assistant.Assistant``: each page in ``ui/`` only lays out what the
assistant returns. Document text is shown as plain text or escaped Markdown, never as HTML;
each user's conversation lives in their own session.
"""

from __future__ import annotations

import streamlit as st

from assistant.faults import StoreError
from ui.common import get_assistant

st.set_page_config(page_title="Procurement Assistant", page_icon="📘", layout="wide")

try:
    get_assistant()
except StoreError as exc:
    st.error(str(exc))
    st.stop()

# Material icons come with Streamlit; emoji need a colour-emoji font that council laptops may lack
page = st.navigation(
    [
        st.Page("ui/ask.py", title="Ask", icon=":material/chat:", default=True),
        st.Page("ui/assess.py", title="Assess", icon=":material/stairs:"),
        st.Page("ui/plan.py", title="Self-assessment", icon=":material/checklist:"),
        st.Page("ui/train.py", title="Training", icon=":material/school:"),
        st.Page("ui/search.py", title="Search", icon=":material/search:"),
        st.Page("ui/library.py", title="Library", icon=":material/library_books:"),
        st.Page("ui/about.py", title="About", icon=":material/info:"),
    ]
)
try:
    page.run()
except StoreError as exc:  # the server went away or the disk is full: say so; the next action retries
    st.error(str(exc))
    st.button("Try again")
