"""Settings and about: which answer mode is active and how to configure a model."""

from __future__ import annotations

import streamlit as st

from ui.common import get_assistant, md


def about_page() -> None:
    st.title("Settings and about")
    assistant = get_assistant()
    s = assistant.settings
    st.markdown(
        f"- **Answer mode:** {assistant.mode}" + (f" ({md(s.llm_provider)})" if assistant.mode == "llm" else "")
    )
    st.markdown(f"- **Corpus version:** {md(assistant.corpus_version)}")
    st.markdown(f"- **Store:** {md(s.chroma_host or str(s.chroma_path))}; embedding model {md(s.embedding_model)}")
    st.markdown(
        "Answers are built from the guidance itself, with no language model, unless one is configured. "
        "To use one, set `PA_LLM_PROVIDER` to `llamacpp` (a local GGUF file in `PA_LLM_MODEL_PATH`), "
        "`openai` (any OpenAI-compatible endpoint in `PA_LLM_BASE_URL` with `PA_LLM_MODEL`) or `ollama`. "
        "Every model answer is checked against the passages it cites and replaced by the guidance's own "
        "words when it cannot be."
    )


about_page()
