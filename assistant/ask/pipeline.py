"""The answer pipeline as a LangChain runnable of named stages:
guard → rephrase → retrieve → compose → verify.

Each stage takes and returns a :class:`Turn`; a stage that settles the answer (a guard reply)
sets ``turn.final`` and later stages pass it through.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.ask.guard import guard
from assistant.ask.language import glossary
from assistant.ask.rephrase import rephrase
from assistant.ask.types import Answer, Turn
from assistant.ask.verify import problems

REPLACED_NOTICE = (
    "The language model's answer could not be checked against the guidance, "
    "so this answer is built from the guidance directly."
)


def _timed(name: str, fn: Callable[[Turn], Turn]) -> Runnable:
    def stage(turn: Turn) -> Turn:
        if turn.final is not None:
            return turn
        started = time.perf_counter()
        out = fn(turn)
        out.timings[name] = (time.perf_counter() - started) * 1000
        return out

    return RunnableLambda(stage, name=name)


def build_pipeline(assistant: Any, composer: Any, fallback: Any) -> Runnable:
    """``composer`` writes the draft (grounded or model); ``fallback`` is the grounded composer."""
    model = assistant.maturity_model
    terms_of = glossary(assistant.settings.corpus_dir)

    def guard_stage(turn: Turn) -> Turn:
        verdict = guard(turn.question)
        if verdict.category != "ok":
            turn.final = Answer(
                verdict.reply,
                [],
                refused=True,
                mode="grounded",
                category=verdict.category,
                notice=verdict.notice,
                question=turn.question,
            )
        else:
            turn.question = verdict.question
            turn.flags["notice"] = verdict.notice
        return turn

    def rephrase_stage(turn: Turn) -> Turn:
        standalone, area, level = rephrase(turn.question, turn.history, model)
        turn.standalone, turn.flags["area"], turn.flags["level"] = standalone, area, level
        return turn

    def retrieve_stage(turn: Turn) -> Turn:
        query = " ".join([turn.standalone, *terms_of.expansions(turn.standalone)])
        turn.docs = assistant.search(query, k=max(6, assistant.settings.retrieval_k))
        return turn

    def compose_stage(turn: Turn) -> Turn:
        turn.draft = composer.compose(turn)
        return turn

    def verify_stage(turn: Turn) -> Turn:
        answer = turn.draft
        issues = problems(answer)
        if issues and answer.mode == "llm":
            answer = fallback.compose(turn)
            answer.notice = REPLACED_NOTICE
        elif issues:  # a grounded answer must always pass; if not, say so rather than mislead
            answer = Answer("I could not build a reliable answer from the guidance for that question.", [], True)
        answer.notice = answer.notice or turn.flags.get("notice")
        answer.question = turn.standalone
        turn.final = answer
        return turn

    return (
        _timed("guard", guard_stage)
        | _timed("rephrase", rephrase_stage)
        | _timed("retrieve", retrieve_stage)
        | _timed("compose", compose_stage)
        | _timed("verify", verify_stage)
    )


def run(pipeline: Runnable, question: str, history: list[dict[str, str]] | None = None) -> Answer:
    turn: Turn = pipeline.invoke(Turn(question=question or "", history=list(history or [])))
    answer = turn.final
    answer.timings = turn.timings
    return answer
