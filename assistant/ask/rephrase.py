"""Rephrase stage: make a follow-up standalone from the conversation, with no language model.

"And what about Innovator?" after a question on social value becomes "What does the Innovator
level look like for Obtaining social value?"; "the really tiny ones?" after a question on SMEs
carries the SME topic over. Key area, level and topic are carried; nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.ask.language import content_terms, find_areas, find_level
from domain.maturity import Area, MaturityModel
from domain.text import normalise

_PRONOUN = re.compile(r"\b(it|this|that|they|them|these|those)\b", re.I)


@dataclass(frozen=True)
class Context:
    area: Area | None = None
    level: str | None = None
    topic: str = ""  # the last user question, for topics outside the maturity model


def context_of(history: list[dict[str, str]], model: MaturityModel) -> Context:
    """Most recent key area, level and user question named in the conversation."""
    area: Area | None = None
    level: str | None = None
    topic = ""
    for turn in history[-6:]:
        content = str(turn.get("content", ""))
        areas = find_areas(content, model)
        if areas:
            area = areas[0]
        lv = find_level(content, model, level)
        if (lv and turn.get("role") == "user") or (lv and level is None):
            level = lv
        if turn.get("role") == "user" and content.strip():
            topic = content.strip()
    return Context(area, level, topic)


def _named(area: Area, text: str) -> bool:
    """The area is named outright (not just hinted at by a loose alias like "contract management")."""
    return normalise(area.name) in normalise(text) or normalise(area.name.split(" ", 1)[-1]) in normalise(text)


def rephrase(question: str, history: list[dict[str, str]], model: MaturityModel) -> tuple[str, Area | None, str | None]:
    """(standalone question, key area, level) for ``question`` in the light of ``history``."""
    areas = find_areas(question, model)
    ctx = context_of(history, model) if history else Context()
    area = areas[0] if areas else None
    level = find_level(question, model, ctx.level)
    if not history:
        return question, area, level
    if area is None and ctx.area is not None and level is not None:
        area = ctx.area
        return f"What does the {level} level look like for {area.name}?", area, level
    if area is None and ctx.area is not None and _PRONOUN.search(question) and _named(ctx.area, ctx.topic):
        return _PRONOUN.sub(ctx.area.name.lower(), question, count=1), ctx.area, level
    if area is None and len(content_terms(question)) <= 4 and ctx.topic:
        return f"{question.rstrip('?')}? (following on from: {ctx.topic.rstrip('?')})", area, level
    return question, area, level
