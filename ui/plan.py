"""Self-assessment and objectives: the 14 areas in one table, current against target, draft objectives."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant import export
from assistant.plan import ProfileError, load_profile
from domain.constants import DOCX_MIME as DOCX
from ui.common import get_assistant, md, note


def plan_page() -> None:
    st.title("Self-assessment and objectives")
    note("Record the current and target level for each area; each council chooses the level it aims for.")
    assistant = get_assistant()
    model = assistant.maturity_model
    levels = list(model.levels)
    uploaded = st.file_uploader("Load a saved profile (.yaml)", type=["yaml", "yml"])
    if uploaded is not None:
        try:
            profile = load_profile(uploaded.getvalue().decode("utf-8", "replace"), model)
            st.session_state["profile_rows"] = {a.area: (a.current, a.target) for a in profile.areas}
            st.session_state["council"] = profile.council
        except ProfileError as exc:
            st.error(str(exc))
    saved = st.session_state.get("profile_rows", {})
    council = st.text_input("Council", st.session_state.get("council", "Our council"))
    table = pd.DataFrame(
        [
            {
                "Area": a.name,
                "Theme": "Enabler" if a.is_enabler else a.theme,
                "Current": saved.get(a.name, (levels[0], levels[2]))[0],
                "Target": saved.get(a.name, (levels[0], levels[2]))[1],
            }
            for a in model.areas
        ]
    )
    edited = st.data_editor(
        table,
        hide_index=True,
        width="stretch",
        disabled=["Area", "Theme"],
        column_config={
            "Current": st.column_config.SelectboxColumn(options=levels, required=True),
            "Target": st.column_config.SelectboxColumn(options=levels, required=True),
        },
    )
    profile = load_profile(
        {
            "council": council,
            "areas": {r.Area: {"current": r.Current, "target": r.Target} for r in edited.itertuples()},
        },
        model,
    )
    plan = assistant.plan(profile)
    level_chart(plan, levels)
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button("Download plan (Word)", lambda: export.to_docx(export.plan_blocks(plan)), "plan.docx", mime=DOCX)
    c2.download_button(
        "Download plan (Markdown)", export.to_markdown(export.plan_blocks(plan)), "plan.md", mime="text/markdown"
    )
    c3.download_button("Download table (CSV)", export.plan_csv(plan), "plan.csv", mime="text/csv")
    c4.download_button("Save profile", profile.to_yaml(), "profile.yaml", mime="text/yaml")
    st.subheader(f"Draft objectives ({len(plan.gaps)} areas with a gap)")
    for row in plan.gaps:
        with st.expander(f"{row.area}: {row.current} → {row.target}"):
            for n, o in enumerate(row.objectives, start=1):
                st.markdown(
                    f"**{n}. {md(o.what)}**  \nMeasure: {md(o.measure)}  \nEvidence: {md(o.evidence)}  \n"
                    f"Owner: {md(o.owner)}  \nTimescale: {md(o.timescale)}"
                )
                if o.citation:
                    note(md(o.citation.label()))


def level_chart(plan, levels: list[str]) -> None:
    """Current and target level per area, in the table's order, on an axis named by the levels."""
    import altair as alt

    order = [r.area for r in plan.rows]
    data = pd.DataFrame(
        [
            {
                "Area": r.area,
                "Which": w,
                "Level": getattr(r, w.lower()),
                "Rank": levels.index(getattr(r, w.lower())) + 1,
            }
            for r in plan.rows
            for w in ("Current", "Target")
        ]
    )
    names = "[" + ",".join(f"'{lv}'" for lv in ["", *levels]) + "]"
    chart = (
        alt.Chart(data, title="Current and target level by area")
        .mark_bar()
        .encode(
            y=alt.Y("Area:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            yOffset="Which:N",
            x=alt.X(
                "Rank:Q",
                title="Maturity level",
                scale=alt.Scale(domain=[0, len(levels)]),
                axis=alt.Axis(values=list(range(1, len(levels) + 1)), labelExpr=f"{names}[datum.value]"),
            ),
            color=alt.Color("Which:N", title=None, scale=alt.Scale(range=["#1d4f91", "#b35900"])),
            tooltip=["Area", "Which", "Level"],
        )
        .properties(height=36 * len(order))
    )
    st.altair_chart(chart, width="stretch")
    note("Chart as text: " + "; ".join(f"{r.area}: {r.current} now, {r.target} target" for r in plan.rows))


plan_page()
