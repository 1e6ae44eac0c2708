"""What an answer is: text with [n] markers, the citations they point to, and how it was made.

Shared by ask, assess, plan, train, export and the surfaces, so it lives below all of them."""

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

    @classmethod
    def from_passage(cls, text: str, meta: dict[str, Any], n: int, related: bool = False) -> Citation:
        """A citation of a stored passage (its text and store metadata)."""
        return cls(
            n=n,
            document=meta.get("document", ""),
            title=meta.get("title") or meta.get("document", ""),
            page=meta.get("page"),
            section=meta.get("section"),
            quote=text,
            id=meta.get("id", ""),
            related=related,
        )

    def reference(self) -> str:
        """Where the passage is: title, page and section (the one formatter every surface uses)."""
        page = f", page {self.page}" if self.page else ""
        section = f" — {self.section}" if self.section else ""
        return f"{self.title}{page}{section}"

    def label(self) -> str:
        """The reference with its marker, as listed under an answer: "[n] title, page p — section",
        and "(related)" when the passage was offered as the nearest related one after a refusal."""
        return f"[{self.n}] {self.reference()}" + (" (related)" if self.related else "")


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
