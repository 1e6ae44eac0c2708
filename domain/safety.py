"""The one manipulation filter: text that tries to steer the assistant instead of asking it something.

Questions (guard), practice descriptions (assess) and document passages (compose) are all
screened by these same patterns and the same sentence split, so a rule changed here changes
everywhere at once.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUESTION_CHARS = 2000

# Pieces of the patterns below, named so each pattern reads as what it catches.
_THEIR_RULES = (  # "your rules", "all previous instructions"
    r"(your|all|previous|prior|earlier|above|these|those|any)\s+"
    r"(instructions?|rules?|prompts?|guidelines?|guardrails?|context|sources?|citations?)"
)
_THE_SYSTEM = r"the\s+(system|prompts?|guardrails?|context|sources|citations)"
# "the above", "previous messages", ending the clause: not "the previous strategy"
_WHAT_CAME_BEFORE = r"(the\s+)?(previous|above|earlier|prior)(\s+(ones?|messages?|text))?(?=\s*[.?!,;:]|\s*$|\s+and\b)"
_WHATEVER_IT_SAYS = (  # bare "regardless" or "regardless of the evidence", not "regardless of our size"
    r"(regardless(?=\s*[.?!,]|\s*$|\s+of\s+(the\s+)?(evidence|what))|no matter what|anyway|"
    r"irrespective of (the\s+)?(evidence|what)|without (checking|evidence))\b"
)

_MANIPULATION = [
    # aimed at the assistant ("ignore your rules", "disregard all previous instructions", "forget the above"), not
    # a question about a council's own rules ("can we bypass the rules on quotes in an emergency?")
    rf"\b(ignore|disregard|forget|override|bypass|skip)\b[^.?!]{{0,60}}\b({_THEIR_RULES}|{_THE_SYSTEM}|{_WHAT_CAME_BEFORE})",
    r"\b(system|hidden|initial|original|developer)\s+(prompt|instructions?|message|rules?)\b",
    # the assistant's own rules, not a document's: "show your instructions", not "what are the rules for quotes?"
    # or "your guidelines on social value"
    r"\b(reveal|show|print|repeat|display|output|leak|tell me|what are|what is|share)\b[^.?!]{0,30}\byour\s+(system\s+)?"
    r"(prompt|instructions?|rules|configuration|guidelines)\b(?!\s+(on|for|about|regarding|around)\b)",
    r"\byou are (now|no longer)\b|\bfrom now on\b|\bnew (rules|instructions|persona)\b|\bpretend (to be|you)\b",
    r"\b(developer|god|admin|debug) mode\b|\bjailbreak\b|\bDAN\b|\bno restrictions\b|\bunfiltered\b",
    # asked to place a practice high whatever it says: "put us at Leader regardless", not "regardless of size"
    rf"\b(rate|score|assess|mark|grade|rank|put|place|classify)\b[^.?!]{{0,40}}\b(innovator|leader|mature|top|highest|"
    rf"maximum)\b[^.?!]{{0,40}}\b{_WHATEVER_IT_SAYS}",
    r"\b(regardless of|no matter what|irrespective of)\b[^.?!]{0,40}\b(evidence|what (we|i) (say|write|describe)|the (description|guidance))\b",
    r"\b(answer|respond|reply|say|state|confirm)\s+(only|just|exactly)\s+(with\s+)?[\"'“‘]",
    r"\b(do not|don't|never)\s+(cite|mention|include)\s+(sources?|citations?|the guidance)\b",
    # asked to invent something: "make up a figure", "make one up"; not "the key areas that make up a theme"
    r"\b(make up|invent)\s+(an?\s+|some\s+|the\s+)?(answers?|figures?|numbers?|statistics?|stats|quotes?|sources?|"
    r"citations?|references?|facts?|data|evidence|examples?|something)\b|\bmake\s+(it|one|them|something|stuff)\s+up\b",
    r"\b(fabricate|hallucinate)\b",
]
_MANIPULATION_RE = [re.compile(p, re.I) for p in _MANIPULATION]

_SPLIT = re.compile(r"(?<=[.?!:;])\s+|\n+")


def clean(text: str) -> str:
    """Drop control characters and squeeze whitespace; cap the length."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_QUESTION_CHARS]


_ADDRESSED = re.compile(
    r"\b(note|message|instructions?|notice) (to|for) (the )?(ai|assistants?|chatbots?|bots?|language models?|llms?|ai systems?)\b"
    r"|\b(assistant|chatbot|ai|llm|language model)\s*[,:]\s*(please\s+)?(ignore|reply|respond|answer|say|tell|repeat|always|never|do|don't|you)\b"
    r"|\bsystem (notice|message|prompt|override)\b|\brepeat (this|the following|it) as (a )?fact\b"
    r"|\b(reply|respond|answer) only with\b|\bwhen (asked|users ask) about\b[^.]{0,80}\b(say|reply|answer|tell)\b",
    re.I,
)


def addresses_assistant(text: str) -> bool:
    """Text inside a document that speaks to the assistant instead of to a reader."""
    return bool(_ADDRESSED.search(text)) or is_manipulation(text)


def is_manipulation(text: str) -> bool:
    return any(p.search(text) for p in _MANIPULATION_RE)


def strip_manipulation(text: str) -> tuple[str, bool]:
    """``text`` without its sentences that try to steer the assistant, and whether any were dropped."""
    if not is_manipulation(text):
        return text, False
    kept = [s for s in _SPLIT.split(text) if s.strip() and not is_manipulation(s)]
    return " ".join(kept).strip(), True
