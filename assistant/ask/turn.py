"""The state that flows through the answer pipeline's stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from domain.maturity import Area
from domain.types import Answer


@dataclass
class Turn:
    """One question on its way through guard → rephrase → retrieve → compose → verify."""

    question: str
    history: list[dict[str, str]] = field(default_factory=list)
    standalone: str = ""
    query: str = ""  # what retrieve searched for: the standalone question, glossary terms and ``carried``
    carried: str = ""  # what a short follow-up points at in the last answer (rephrase), for the search
    intents: np.ndarray | None = None  # P(kind) of what is asked (intent classifier, read at retrieve): fusion, ranker
    docs: list[Any] = field(default_factory=list)  # LangChain Documents, best first
    area: Area | None = None  # the key area or enabler the question is about (rephrase)
    level: str | None = None  # the maturity level it is about (rephrase)
    notice: str | None = None  # what the guard dropped from the question, to tell the user
    issues: list[str] = field(default_factory=list)  # what verify found wrong with the draft
    draft: Answer | None = None
    final: Answer | None = None  # set by any stage that settles the answer early
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def asked(self) -> str:
        """The question compose answers: the standalone rewrite once rephrase has made one."""
        return self.standalone or self.question
