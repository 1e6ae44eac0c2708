"""Text normal form used wherever two texts are compared (quotes, descriptors, citations)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from math import fsum

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Case-, quote- and whitespace-insensitive; rejoins words split after '-' or '/' at PDF line ends."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\w)([-/]) (\w)", r"\1\2\3", text).strip()


BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}\.)\s+")  # a list item's mark at the start of a line
CITATION_MARK = re.compile(r"\[(\d+)\]")  # "[2]" in an answer: its second citation

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘“'\"(•£€$])")  # "... starts. £5,001 to ...": a table row


def sentences(text: str) -> list[str]:
    """Split prose into sentences (also at bullet marks), keeping each sentence's own words."""
    out: list[str] = []
    for line in text.split("\n"):
        for piece in re.split(r"\s*•\s*", line):
            out.extend(s.strip() for s in _SENTENCE_END.split(piece) if s.strip())
    return out


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def years_in(text: str) -> set[str]:
    """The years (1900-2099) a text names."""
    return set(_YEAR.findall(text))


def holds_phrase(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` starting at a word start (both normalised)."""
    n = normalise(needle)
    return not n or re.search(r"(?<![a-z0-9])" + re.escape(n), normalise(haystack)) is not None


_NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)


def number_word(n: int) -> str:
    """A count as a word ("four enablers"), so counts come from the data, never typed into prose."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


_CAPITALISED_RUN = re.compile(r"(?:\b[A-Z][a-z]+\b\s*){2,}")


def title_initials(title: str) -> set[str]:
    """The initials of each run of capitalised words in a title: "Procurement Policy Note 02/25" -> "PPN",
    "National Procurement Strategy for Local Government" -> "NPS" and "LG" (how documents are called)."""
    return {"".join(w[0] for w in run.split()) for run in _CAPITALISED_RUN.findall(title)}


def weighted_share(weight: Mapping[str, float]) -> Callable[[Callable[[str], bool]], float]:
    """For words and their weights, a function giving the weight of the words ``held`` accepts over all the
    words' weight (IDF-weighted overlap); the total is summed once, as one question's words are read against
    many sentences. Summed with ``math.fsum``, whose exact rounding does not depend on the order a set yields
    its words: with ``sum`` two runs differed by ~1e-16, enough to flip ties between candidates and make fits
    differ run to run."""
    total = fsum(weight.values()) or 1.0

    def share(held: Callable[[str], bool]) -> float:
        return fsum(w for t, w in weight.items() if held(t)) / total

    return share
