"""Guard stage: polite fixed replies for manipulation attempts and plainly off-topic questions.

A question that mixes an instruction to the assistant with a genuine question keeps the
genuine part (the instruction is dropped and the answer says so).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from bm25s import stopwords as _stopwords

from domain.replies import EMPTY_REPLY, HELP, LANGUAGE_REPLY, MANIPULATION_REPLY, OFF_TOPIC_REPLIES
from domain.safety import addresses_assistant, clean, is_manipulation, strip_manipulation

__all__ = ["addresses_assistant", "clean", "guard", "is_manipulation", "strip_manipulation"]


# Language check: the guidance is in English, so a question in another language gets a clear reply
# rather than a misleading "not covered". Function words tell languages apart; those that are also
# English words or appear in the guidance ("come", "also", "per", "de") are not counted as foreign.
_ENGLISH_WORDS = frozenset(_stopwords.STOPWORDS_EN_PLUS)
_OTHER_LANGUAGES = ("DANISH", "DUTCH", "FRENCH", "GERMAN", "ITALIAN", "NORWEGIAN", "PORTUGUESE", "SPANISH", "SWEDISH")
_WELSH = frozenset(
    ["beth", "yw", "ydy", "mae", "sut", "pam", "gyda", "yr", "ac", "oes", "gan", "hwn", "hon", "ein", "eich"]
)
_ALSO_ENGLISH = frozenset(
    ["ad", "ai", "also", "bin", "come", "de", "end", "met", "na", "non", "per", "want", "die", "war"]
)
_FOREIGN_WORDS = (
    (frozenset(w for name in _OTHER_LANGUAGES for w in getattr(_stopwords, f"STOPWORDS_{name}")) | _WELSH)
    - _ENGLISH_WORDS
    - _ALSO_ENGLISH
)


# The old phrasing rules, kept only as the fallback (and the evaluation's baseline) for when no topic
# classifier is fitted: (class, pattern). The fitted classifier replaced them because a rule matched
# in-scope questions ("breach of contract") and missed every wording it was not written for.
_OUT_OF_SCOPE = [
    (
        "council_service",
        r"\b(parking (fine|ticket|permit)s?|penalty charge notice|council tax (bill|band|rebate|arrears)|bin collection|"
        r"missed bins?|pot ?holes?|planning (permission|application)|housing benefit|school admissions?|"
        r"register (a birth|to vote)|library opening)\b",
    ),
    (
        "legal_dispute",
        r"\b(sue|suing|lawsuit|litigation|legal action|tribunal|injunction|judicial review|our (dispute|claim)|"
        r"(bidder|supplier|contractor) (is )?(challenging|suing)|legal advice|can we win|are we liable|"
        r"(breach of|terminate the) contract)\b",
    ),
    (
        "named_council_prices",
        r"\b(how much|what price|prices?|cost|costs|paid|pay|spend|spent|contract value|rates?)\b[^?]{0,80}"
        r"\b[A-Z][a-z]+(\s[A-Z][a-z]+)*\s((City|County|Borough|District|Metropolitan|Town|Parish)\s)*Council\b"
        r"|\b[A-Z][a-z]+(\s[A-Z][a-z]+)*\s((City|County|Borough|District|Metropolitan|Town|Parish)\s)*Council('s)?\b"
        r"[^?]{0,80}\b(prices?|paid|pay|spend|spent|contract value|rates?|costs?)\b",
    ),
    (
        "general_chat",
        r"\b(weather|football|cricket|recipe|joke|poem|song|lottery|horoscope|stock price|share price|bitcoin|"
        r"crypto|capital of|who won|movie|film review)\b",
    ),
]
_OUT_OF_SCOPE_RE = [(c, re.compile(p, re.I if c != "named_council_prices" else 0)) for c, p in _OUT_OF_SCOPE]


def legacy_off_topic(text: str) -> str | None:
    """The old rules' off-topic class of ``text`` (the fallback without a fitted topic classifier)."""
    return next((kind for kind, pattern in _OUT_OF_SCOPE_RE if pattern.search(text)), None)


IGNORED_NOTICE = "Your message included an instruction to change how I work; I ignored it and answered the question."


@dataclass(frozen=True)
class Verdict:
    question: str  # cleaned question to continue with ("" when settled)
    category: str  # ok | manipulation | out_of_scope | empty
    reply: str = ""
    notice: str | None = None
    kind: str = ""  # which out-of-scope class


def other_language(text: str) -> bool:
    """Mostly non-Latin letters, or more distinct foreign function words (at least two) than English ones."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if unicodedata.name(ch, "").startswith("LATIN"))
    if letters and latin < len(letters) / 2:
        return True
    words = {w for w in re.findall(r"[^\W\d_]{2,}", text.lower())}
    foreign, english = len(words & _FOREIGN_WORDS), len(words & _ENGLISH_WORDS)
    return foreign >= 2 and foreign > english


def guard(question: str, off_topic: Callable[[str], str | None] | None = None) -> Verdict:
    """Settle what needs no search: empty input, another language, manipulation, and (with ``off_topic``,
    the fitted topic classifier) questions that are not about procurement at all."""
    text = clean(question)
    if other_language(text):
        return Verdict("", "out_of_scope", LANGUAGE_REPLY, kind="language")
    if not re.search(r"[A-Za-z0-9]", text):
        return Verdict("", "empty", EMPTY_REPLY)
    notice = None
    remainder, dropped = strip_manipulation(text)
    if dropped:
        if len(re.findall(r"[A-Za-z]{3,}", remainder)) < 2:
            return Verdict("", "manipulation", MANIPULATION_REPLY)
        text, notice = remainder, IGNORED_NOTICE
    kind = off_topic(text) if off_topic is not None else None
    if kind in OFF_TOPIC_REPLIES:
        return Verdict("", "out_of_scope", f"{OFF_TOPIC_REPLIES[kind]} {HELP}", notice, kind)
    return Verdict(text, "ok", "", notice)
