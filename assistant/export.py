"""Documents a person can take into a meeting: plans, training packs and conversations as
Markdown, Word (.docx) and CSV. One renderer per document; Word and Markdown share its outline.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.plan import Plan
from assistant.train import TrainingPack

Block = tuple[str, Any]  # ("h1"|"h2"|"p"|"bullets"|"table", content)


def plan_blocks(plan: Plan) -> Iterator[Block]:
    yield "h1", f"{plan.council}: procurement self-assessment and draft objectives"
    yield (
        "p",
        (
            "Based on the National Procurement Strategy for Local Government in England 2018. Each council "
            "chooses the level it aims for in each area; a target below Innovator can be entirely appropriate."
        ),
    )
    yield "h2", "Profile: current and target level"
    yield (
        "table",
        [["Area", "Theme", "Current", "Target", "Gap"]]
        + [[r.area, r.theme, r.current, r.target, str(r.gap)] for r in plan.rows],
    )
    yield "h2", "Draft objectives"
    if not plan.gaps:
        yield "p", "No gaps: every area is at its target level."
    for row in plan.gaps:
        yield "h3", f"{row.area}: from {row.current} to {row.target}"
        for n, o in enumerate(row.objectives, start=1):
            cite = f" [{o.citation.reference()}]" if o.citation else ""
            yield (
                "bullets",
                [
                    f"Objective {n} ({o.level}): {o.what}.",
                    f"Measure: {o.measure}.",
                    f"Evidence: {o.evidence}.",
                    f"Owner: {o.owner}.",
                    f"Timescale: {o.timescale}.",
                    f"Source: “{o.citation.quote.splitlines()[-1] if o.citation else ''}”{cite}",
                ],
            )


def pack_blocks(pack: TrainingPack) -> Iterator[Block]:
    """The participants' handout: no answers in it (the facilitator's copy has them)."""
    yield "h1", pack.title
    yield "h2", "Learning outcomes"
    yield "bullets", pack.outcomes
    yield "h2", "Timed outline"
    yield "table", [["Minutes", "Part"]] + [[str(m), part] for m, part in pack.outline]
    yield "h2", "Key points"
    yield "bullets", [text + (f" [{c.reference()}]" if c else "") for text, c in pack.key_points]
    yield "h2", "Scenario exercise"
    yield "p", "For each situation, agree the maturity level it describes and the words that decided it."
    yield "bullets", [f"Scenario {n}: {s.practice}" for n, s in enumerate(pack.scenarios, start=1)]
    yield "h2", "Quiz"
    for n, item in enumerate(pack.quiz, start=1):
        yield "p", f"{n}. {item.question}"
        yield "bullets", [f"{chr(97 + i)}) {opt}" for i, opt in enumerate(item.options)]


def facilitator_blocks(pack: TrainingPack) -> Iterator[Block]:
    """The facilitator's copy: the outline, the answer key with sources, and the notes."""
    yield "h1", f"Facilitator's copy — {pack.title}"
    yield "h2", "Timed outline"
    yield "table", [["Minutes", "Part"]] + [[str(m), part] for m, part in pack.outline]
    yield "h2", "Answer key: scenarios"
    yield (
        "bullets",
        [
            f"Scenario {n}: {s.area}, {s.level}" + (f" [{s.citation.reference()}]" if s.citation else "")
            for n, s in enumerate(pack.scenarios, start=1)
        ],
    )
    yield "h2", "Answer key: quiz"
    yield (
        "bullets",
        [
            f"Quiz {n}: {q.answer}. {q.explanation}" + (f" [{q.citation.reference()}]" if q.citation else "")
            for n, q in enumerate(pack.quiz, start=1)
        ],
    )
    yield "h2", "Facilitator notes"
    yield "bullets", pack.notes


def conversation_blocks(history: list[dict[str, Any]]) -> Iterator[Block]:
    yield "h1", "Procurement Assistant conversation"
    for turn in history:
        yield "h3", "Question" if turn["role"] == "user" else "Answer"
        yield "p", turn["content"]
        answer = turn.get("answer")
        if answer is not None and answer.citations:
            yield "bullets", [c.label() for c in answer.citations]


def to_markdown(blocks: Iterator[Block]) -> str:
    out = []
    for kind, content in blocks:
        if kind in ("h1", "h2", "h3"):
            out.append("#" * int(kind[1]) + " " + content)
        elif kind == "p":
            out.append(content)
        elif kind == "bullets":
            out.append("\n".join(f"- {b}" for b in content))
        elif kind == "table":
            head, *rows = content
            out.append(
                "\n".join(
                    ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                    + ["| " + " | ".join(r) + " |" for r in rows]
                )
            )
    return "\n\n".join(out) + "\n"


def to_docx(blocks: Iterator[Block]) -> bytes:
    import docx

    document = docx.Document()
    for kind, content in blocks:
        if kind in ("h1", "h2", "h3"):
            document.add_heading(content, level=int(kind[1]))
        elif kind == "p":
            document.add_paragraph(content)
        elif kind == "bullets":
            for b in content:
                document.add_paragraph(b, style="List Bullet")
        elif kind == "table":
            head, *rows = content
            table = document.add_table(rows=1, cols=len(head))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, head, strict=True):
                cell.text = text
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def plan_csv(plan: Plan) -> str:
    buffer = io.StringIO()
    fields = [
        "area",
        "theme",
        "current",
        "target",
        "gap",
        "level",
        "what",
        "measure",
        "evidence",
        "owner",
        "timescale",
        "source",
        "descriptor",
    ]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for row in plan.rows:
        base = {"area": row.area, "theme": row.theme, "current": row.current, "target": row.target, "gap": row.gap}
        if not row.objectives:
            writer.writerow(base)
        for o in row.objectives:
            writer.writerow({**base, **o.as_dict()})
    return buffer.getvalue()


def write(blocks_or_plan: Any, path: Path) -> None:
    """Write by the file's extension: .md, .docx, or .csv (plans only)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if not isinstance(blocks_or_plan, Plan):
            raise ValueError("CSV export is for plans")
        path.write_text(plan_csv(blocks_or_plan), encoding="utf-8")
        return
    blocks = (
        plan_blocks(blocks_or_plan)
        if isinstance(blocks_or_plan, Plan)
        else pack_blocks(blocks_or_plan)
        if isinstance(blocks_or_plan, TrainingPack)
        else blocks_or_plan
    )
    if suffix == ".docx":
        path.write_bytes(to_docx(blocks))
    elif suffix in (".md", ".markdown", ".txt"):
        path.write_text(to_markdown(blocks), encoding="utf-8")
    else:
        raise ValueError(f"unsupported export type '{suffix}' (use .md, .docx or .csv)")
