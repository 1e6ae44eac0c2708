"""What an answer is: text with [n] markers, the citations they point to, and how it was made."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    n: int
    document: str
    title: str
    page: int | None
    section: str | None
    quote: str  # the passage text the statement rests on
    id: str = ""
    related: bool = False  # True when offered as "nearest related" after a refusal

    def label(self) -> str:
        page = f", page {self.page}" if self.page else ""
        section = f" — {self.section}" if self.section else ""
        return f"[{self.n}] {self.title}{page}{section}"


@dataclass
class Answer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    mode: str = "grounded"  # "grounded" | "llm"
    notice: str | None = None  # e.g. why a model answer was replaced
    question: str = ""  # the standalone question actually answered
    category: str = "answer"  # answer | out_of_scope | manipulation | empty | not_covered
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON shape: text, citations, refused, mode (plus diagnostics)."""
        out = asdict(self)
        out["citations"] = [
            {k: c[k] for k in ("n", "document", "title", "page", "section", "quote")} for c in out["citations"]
        ]
        return out


@dataclass
class Turn:
    """The state that flows through the pipeline's stages."""

    question: str
    history: list[dict[str, str]] = field(default_factory=list)
    standalone: str = ""
    docs: list[Any] = field(default_factory=list)  # LangChain Documents, best first
    draft: Answer | None = None
    final: Answer | None = None  # set by any stage that settles the answer early
    flags: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
