"""Verify stage: every citation marker points to a cited passage, and every statement is
supported by the passages it cites. A model answer that fails is replaced by the grounded one.
"""

from __future__ import annotations

import re

from assistant.ask.language import content_terms
from assistant.ask.statements import FRAMINGS
from domain.text import CITATION_MARK, normalise
from domain.types import Answer

_FRAMING = re.compile(
    r"^(- )?(At the \w+ level of [^:]+:|At the \w+ level of .+?, the strategy describes:|The next level, \w+, is:|"
    r"At the \w+ level, it is:|"
    r"The nearest related thing it does cover:|[\w ,()/-]+ is a (key area|enabler)[^:]*:|"
    + "|".join(FRAMINGS)
    + r"|\w+:)\s*"
)
_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_NUMBER = re.compile(r"£?\d[\d,.]*%?")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})*")


def statements(text: str) -> list[tuple[str, list[int]]]:
    """Each line or sentence of an answer with the citation numbers it carries."""
    out = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        for sentence in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", line):
            marks = [int(n) for n in CITATION_MARK.findall(sentence)]
            out.append((CITATION_MARK.sub("", sentence).strip(), marks))
    return out


def foreign_details(statement: str, sources: str) -> list[str]:
    """Links, figures and names in ``statement`` that appear in none of the sources."""
    src = normalise(sources)
    found = _URL.findall(statement) + _NUMBER.findall(statement) + _NAME.findall(statement)
    return [f for f in found if normalise(f.rstrip(".,;:)")) not in src]


def supported(statement: str, sources: list[str], min_share: float = 0.75) -> bool:
    core = _FRAMING.sub("", statement).strip().strip('“”"').strip()
    joined = " ".join(sources)
    if not core:
        return True
    if normalise(core.rstrip(".")) in normalise(joined):
        return True
    wanted = set(content_terms(core))
    if not wanted:
        return True
    have = set(content_terms(joined))
    return len(wanted & have) / len(wanted) >= min_share and not foreign_details(core, joined)


def problems(answer: Answer) -> list[str]:
    """Why an answer cannot be trusted as it stands (empty when it can)."""
    quotes = {c.n: c.quote for c in answer.citations}
    issues = []
    for statement, marks in statements(answer.text):
        missing = [n for n in marks if n not in quotes]
        if missing:
            issues.append(f"marker {missing} points to no passage")
            continue
        if not marks:
            if answer.mode == "llm" and len(statement.split()) > 4:
                issues.append(f"uncited statement: {statement[:60]}")
            continue
        if not supported(statement, [quotes[n] for n in marks]):
            issues.append(f"unsupported: {statement[:60]}")
    return issues


def supporting_sentence(answer: Answer, n: int) -> str | None:
    """The sentence of citation ``n``'s passage that best supports the statements marked [n]."""
    from domain.text import sentences

    quote = next((c.quote for c in answer.citations if c.n == n), "")
    claims = [_FRAMING.sub("", s) for s, marks in statements(answer.text) if n in marks]
    if not quote or not claims:
        return None
    wanted = set(content_terms(" ".join(claims)))
    best, best_share = None, 0.0
    for line in quote.split("\n"):
        for sentence in sentences(line):
            have = set(content_terms(sentence))
            share = len(wanted & have) / max(1, len(have))
            if share > best_share:
                best, best_share = sentence, share
    return best if best_share >= 0.5 else None
