"""The answer pipeline as a LangChain runnable of named stages:
guard → rephrase → retrieve → compose → verify.

Each stage takes and returns a :class:`Turn`; a stage that settles the answer (a guard reply)
sets ``turn.final`` and later stages pass it through.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.ask.guard import guard
from assistant.ask.language import level_vocabulary
from assistant.ask.rephrase import rephrase
from assistant.ask.turn import Turn
from assistant.ask.verify import problems
from domain.replies import NO_RELIABLE_ANSWER
from domain.types import Answer

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


def stages(assistant: Any, composer: Any, fallback: Any) -> dict[str, Callable[[Turn], Turn]]:
    """The named stages; ``composer`` writes the draft, ``fallback`` is the grounded composer."""
    model = assistant.maturity_model
    vocabulary = level_vocabulary(assistant.settings.corpus_dir)

    def guard_stage(turn: Turn) -> Turn:
        asked = [h["content"] for h in turn.history if h.get("role") == "user"]
        verdict = guard(turn.question, lambda text: assistant.off_topic(text, asked[-1] if asked else ""))
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
            turn.notice = verdict.notice
        return turn

    def rephrase_stage(turn: Turn) -> Turn:
        turn.standalone, turn.area, turn.level, turn.carried = rephrase(turn.question, turn.history, model, vocabulary)
        return turn

    def retrieve_stage(turn: Turn) -> Turn:
        carried = [turn.carried] if turn.carried else []
        turn.query = " ".join([turn.standalone, *fallback.meant(turn.standalone), *carried])
        return retrieve(assistant, turn)

    def compose_stage(turn: Turn) -> Turn:
        turn.draft = composer.compose(turn)
        return turn

    def verify_stage(turn: Turn) -> Turn:
        answer = turn.draft
        issues = problems(answer)
        turn.issues = issues
        if issues and answer.mode == "llm":
            answer = fallback.compose(turn)
            answer.notice = REPLACED_NOTICE
        elif issues:  # a grounded answer must always pass; if not, say so rather than mislead
            answer = Answer(NO_RELIABLE_ANSWER, [], True)
        answer.notice = answer.notice or turn.notice
        answer.question = turn.standalone
        turn.final = answer
        return turn

    return {
        "guard": guard_stage,
        "rephrase": rephrase_stage,
        "retrieve": retrieve_stage,
        "compose": compose_stage,
        "verify": verify_stage,
    }


def build_pipeline(assistant: Any, composer: Any, fallback: Any) -> Runnable:
    """guard → rephrase → retrieve → compose → verify, as one LangChain runnable."""
    named = stages(assistant, composer, fallback)
    chain = _timed("guard", named["guard"])
    for name in ("rephrase", "retrieve", "compose", "verify"):
        chain = chain | _timed(name, named[name])
    return chain


def run(pipeline: Runnable, question: str, history: list[dict[str, str]] | None = None) -> Answer:
    turn: Turn = pipeline.invoke(Turn(question=question or "", history=_safe_history(history)))
    answer = turn.final
    answer.timings = turn.timings
    return answer


def _safe_history(history: Any) -> list[dict[str, str]]:
    """Only well-formed turns, as plain strings (the history comes from users and files)."""
    out = []
    for item in history or []:
        if isinstance(item, dict) and isinstance(item.get("content"), str):
            out.append({"role": str(item.get("role", "user")), "content": item["content"][:4000]})
    return out[-12:]


def read_intents(assistant: Any, turn: Turn) -> Turn:
    """``turn.intents``, unless already set (``fit`` sets out-of-fold readings): the composer's intent classifier
    on the question itself, not on the query, which also holds glossary terms and a follow-up's context."""
    if turn.intents is None:
        turn.intents = assistant.grounded.intents(turn.asked)
    return turn


def retrieve(assistant: Any, turn: Turn) -> Turn:
    """Search for ``turn.query`` (the retrieve stage's search; ``fit`` repeats it after refitting the fusion), with
    what the question asks for (:func:`read_intents`)."""
    read_intents(assistant, turn)
    turn.docs = assistant.searcher.search(turn.query, max(6, assistant.settings.retrieval_k), intents=turn.intents)
    return turn


def prepare(
    assistant: Any, question: str, history: list[dict[str, str]] | None = None, guarded: bool = True
) -> Turn | None:
    """A turn taken through guard (unless not ``guarded``), rephrase and retrieve: what compose reads
    (None if the guard settled it). ``fit`` and the evaluation use it to see what the composer sees; the
    guard, unguarded, to ask whether the store answers a question its topic classifier doubts."""
    named = stages(assistant, assistant.grounded, assistant.grounded)
    turn = Turn(question=question or "", history=_safe_history(history))
    for name in ("guard", "rephrase", "retrieve")[0 if guarded else 1 :]:
        turn = named[name](turn)
        if turn.final is not None:
            return None
    return turn


def stream(assistant: Any, question: str, history: list[dict[str, str]] | None = None) -> Iterator[str | Answer]:
    """The same stages, but the compose step streams: yields text pieces, then the verified Answer.

    If verification replaces a model's answer, the final Answer carries the grounded text and
    a notice; surfaces show the final Answer in place of what was streamed.
    """
    named = stages(assistant, assistant.composer, assistant.grounded)
    turn = Turn(question=question or "", history=_safe_history(history))
    for name in ("guard", "rephrase", "retrieve"):
        if turn.final is None:
            turn = named[name](turn)
    if turn.final is None:
        if hasattr(assistant.composer, "stream"):
            for piece in assistant.composer.stream(turn):
                if isinstance(piece, Answer):
                    turn.draft = piece
                else:
                    yield piece
        else:
            turn.draft = assistant.composer.compose(turn)
            yield from re.findall(r".+\n*|\n+", turn.draft.text)  # already written: a line at a time is enough
        turn = named["verify"](turn)
    yield turn.final
