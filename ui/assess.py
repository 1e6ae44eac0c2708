"""Assess: describe a practice, see it on the five-step ladder of its key area."""

from __future__ import annotations

import streamlit as st

from ui.common import get_assistant, md, note, source_line

LADDER_ICONS = {
    "current": ":material/radio_button_checked:",
    "next": ":material/arrow_upward:",
    "other": ":material/radio_button_unchecked:",
}


def assess_page() -> None:
    st.title("Assess your practice")
    note("Describe what your council does today; see which key area and maturity level it matches.")
    assistant = get_assistant()
    model = assistant.maturity_model
    text = st.text_area(
        "What does the council do?",
        height=120,
        placeholder="e.g. We only talk to our biggest suppliers when something goes wrong.",
    )
    area_choice = st.selectbox("Key area (optional)", ["Let the assistant decide"] + [a.name for a in model.areas])
    if not st.button("Assess", type="primary") or not text.strip():
        return
    chosen = None if area_choice.startswith("Let") else area_choice
    results = assistant.assess_all(text) if chosen is None else [assistant.assess(text, chosen)]
    if len(results) > 1:
        st.info(f"Your description covers {len(results)} key areas; each is assessed on its own.")
    for res in results:
        show_result(res, model, several=len(results) > 1)


def show_result(res, model, several: bool) -> None:
    if res.key_area is None:
        st.warning(res.rationale)
        return
    if several:
        st.markdown(f"> {md(res.excerpt)}")
    st.subheader(f"{res.key_area}: {res.level}")
    sure = "" if res.confident else " — not sure"
    st.progress(res.confidence, text=f"confidence {res.confidence:.0%}{sure}")
    if not res.confident and len(res.between) == 2:
        low, high = res.between
        st.info(
            f"Between **{low['level']}** ({low['probability']:.0%}) and **{high['level']}** "
            f"({high['probability']:.0%}).\n\n- {low['level']}: {md(low['descriptor'])}\n"
            f"- {high['level']}: {md(high['descriptor'])}" + (f"\n\nTo decide: {res.question}" if res.question else "")
        )
    area = model.area(res.key_area)
    for level in model.levels:
        state = (
            "current"
            if level == res.level
            else ("next" if res.next_level and level == res.next_level["level"] else "other")
        )
        label = {"current": " (matches)", "next": " (next step)", "other": ""}[state]
        st.markdown(f"{LADDER_ICONS[state]} **{level}**{label}: {md(area.levels[level])}")
    st.markdown(md(res.rationale))
    if res.second_key_area:
        note(f"The description also touches on {res.second_key_area}.")
    if res.notice:
        st.info(res.notice)
    for c in res.citations:
        with st.expander(source_line(c)):
            st.text(c.quote)


assess_page()
