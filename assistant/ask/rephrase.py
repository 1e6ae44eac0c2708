"""Rephrase stage: make a follow-up standalone from the conversation, with no language model.

"And what about Innovator?" after a question on social value becomes "What does the Innovator
level look like for Obtaining social value?"; "the really tiny ones?" after a question on SMEs
carries the SME topic over. Key area, level and topic are carried; nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from assistant.ask.language import (
    LevelVocabulary,
    content_terms,
    find_areas,
    find_level,
    name_pattern,
    ordinal_reference,
    strip_area_names,
)
from domain.maturity import Area, MaturityModel
from domain.replies import DECLINES
from domain.text import BULLET, CITATION_MARK, normalise, sentences

_PRONOUN = re.compile(r"\b(it|this|that|they|them|these|those)\b", re.I)


@dataclass(frozen=True)
class Context:
    area: Area | None = None
    level: str | None = None
    topic: str = ""  # the last user question, for topics outside the maturity model
    answer: str = ""  # the answer to it ("" until one is given): what "that number" or "it" points at


def context_of(history: list[dict[str, str]], model: MaturityModel) -> Context:
    """Most recent key area, level and user question named in the conversation, and the answer to that
    question (none once a later question is asked)."""
    area: Area | None = None
    level: str | None = None
    topic = answer = ""
    for turn in history[-6:]:
        content = str(turn.get("content", ""))
        areas = find_areas(content, model)
        if areas:
            area = areas[0]
        lv = find_level(content, model, level)
        if (lv and turn.get("role") == "user") or (lv and level is None):
            level = lv
        if turn.get("role") == "user" and content.strip():
            topic, answer = content.strip(), ""
        elif turn.get("role") == "assistant":
            answer = content
    return Context(area, level, topic, answer)


def lead_sentence(answer: str) -> str:
    """An answer's first sentence without its citation marks, at most 40 words ("" for an answer that
    declined: its words are not what the conversation is about)."""
    text = CITATION_MARK.sub("", answer).strip()
    if text.startswith(DECLINES):
        return ""
    first = (sentences(text.splitlines()[0] if text else "") or [""])[0]
    return " ".join(first.split()[:40]).rstrip(".")


def _named(area: Area, text: str) -> bool:
    """The area is named outright (not just hinted at by a loose alias like "contract management")."""
    return normalise(area.name) in normalise(text) or normalise(area.name.split(" ", 1)[-1]) in normalise(text)


def listed_areas(text: str, model: MaturityModel) -> list[Area]:
    """The key areas and enablers an answer names, in the order it names them (its list)."""
    low = normalise(text)
    found = []
    for area in model.areas:
        positions = [m.start() for label in (area.name, *area.aliases) if (m := name_pattern(label).search(low))]
        if positions:
            found.append((min(positions), area))
    return [a for _, a in sorted(found, key=lambda x: x[0])]


_LIST_START = re.compile(r"^.*?(?::\s+|\binclude[sd]?\s+|\bare\s+(?=[\"“‘']))", re.I)


def listed_items(text: str) -> list[str]:
    """The items of the last list an answer gives: its bullet lines, or the parts of a sentence that
    separates them with semicolons ("... include: a; b; and c."). Outside the maturity model (a
    report's recommendations, a council's rules) there are no names to look for, only the layout."""
    text = CITATION_MARK.sub("", text)
    bullets = [BULLET.sub("", line).strip(" .;") for line in text.splitlines() if BULLET.match(line)]
    if len(bullets) >= 2:
        return bullets
    for sentence in reversed(sentences(text)):
        parts = [p.strip() for p in sentence.split(";")]
        if len(parts) >= 2:
            parts[0] = _LIST_START.sub("", parts[0], count=1)
            parts[-1] = re.sub(r"^(and|or)\s+", "", parts[-1])
            return [p.strip(" .\"“”‘’'") for p in parts if p.strip(" .\"“”‘’'")]
    return []


class Rephrased(NamedTuple):
    """A question made standalone, with what it is about."""

    standalone: str
    area: Area | None
    level: str | None
    carried: str = ""  # the last answer's lead sentence, for the search: what a short follow-up points at


def rephrase(
    question: str, history: list[dict[str, str]], model: MaturityModel, vocabulary: LevelVocabulary | None = None
) -> Rephrased:
    """The standalone question, key area and level for ``question`` in the light of ``history``, and for a
    short follow-up what the search carries over from the last answer."""
    areas = find_areas(question, model)
    ctx = context_of(history, model) if history else Context()
    area = areas[0] if areas else None
    level = find_level(question, model, ctx.level, vocabulary)
    if not history:
        return Rephrased(question, area, level)
    reference = ordinal_reference(question, vocabulary) if area is None else None
    if reference is not None:
        pick, pointing = reference
        last_answer = next((t["content"] for t in reversed(history) if t.get("role") == "assistant"), "")
        listed = listed_areas(last_answer, model)
        if len(listed) >= 2 and -len(listed) <= pick < len(listed):
            area = listed[pick]  # "the third one you listed": the third area of the previous answer
            if level is not None:
                return Rephrased(f"What does the {level} level look like for {area.name}?", area, level)
            return Rephrased(_put_in(question, pointing, area.name), area, level)
        items = listed_items(last_answer)
        if len(items) >= 2 and -len(items) <= pick < len(items):
            # "why do they want the second one?" after a list of recommendations: the second recommendation
            return Rephrased(_put_in(question, pointing, items[pick]), area, level)
    if area is not None and ctx.area is not None and area != ctx.area and len(_rest(question, model)) <= 2:
        previous = ctx.topic  # "same question for senior managers": the last question, about the new area
        swapped = _swap_area(previous, ctx.area, area)
        if swapped != previous:
            return Rephrased(swapped, area, find_level(swapped, model, None, vocabulary) or level)
    if area is None and ctx.area is not None and level is not None:
        area = ctx.area
        return Rephrased(f"What does the {level} level look like for {area.name}?", area, level)
    short = len(content_terms(question)) <= 4
    if area is None and ctx.area is not None and _PRONOUN.search(question) and _named(ctx.area, ctx.topic):
        # "why does that matter?": the key area in the pronoun's place; a short one also points at what was just
        # said ("where does that number come from?" after "a minimum +20 per cent social value ..."), whose lead
        # sentence the search takes too, as below
        standalone = _PRONOUN.sub(ctx.area.name.lower(), question, count=1)
        return Rephrased(standalone, ctx.area, level, lead_sentence(ctx.answer) if short else "")
    if area is None and short and ctx.topic:
        # a short follow-up ("and when is it?", "where does that number come from?") points at what was just
        # said: the search takes the last answer's lead sentence too, which finds the passage it came from
        # (out-of-fold, follow-ups answered 0.816 -> 0.868); the question keeps only the user's own words, so
        # the ranker and the scope model read what was asked
        standalone = f"{question.rstrip('?')}? (following on from: {ctx.topic.rstrip('?')})"
        return Rephrased(standalone, area, level, lead_sentence(ctx.answer))
    return Rephrased(question, area, level)


def _put_in(question: str, reference: re.Match[str], item: str) -> str:
    """The question with the item in place of the words that point at it: "what does the last of those
    mean?" -> "what does Engaging strategic suppliers mean?". Where those words go on into a noun of
    their own ("the first thing to do"), the item is added after the question instead."""
    if re.match(r"\s*[A-Za-z]", question[reference.end() :]) and not re.search(r"\b(one|of)\b", reference[0]):
        return f"{question.rstrip('?')}? ({item})"
    return question[: reference.start()] + item + question[reference.end() :]


def _rest(question: str, model: MaturityModel) -> list[str]:
    """The question's content words besides the areas it names."""
    return content_terms(strip_area_names(question, model))


def _swap_area(text: str, old: Area, new: Area) -> str:
    low = text
    for label in sorted((old.name, *old.aliases), key=len, reverse=True):
        match = re.search(rf"(?<![A-Za-z0-9]){re.escape(label)}s?(?![A-Za-z0-9])", low, re.I)
        if match:
            return low[: match.start()] + new.name.lower() + low[match.end() :]
    return text
