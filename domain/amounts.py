"""Money amounts in a question, and the ranges a sentence states, so "how many quotes for a £30,000
contract?" is answered by the rule whose band holds £30,000, not the nearest-sounding one.

A consistency check, not a weight: among the sentences the ranker would show, one whose stated
band excludes the asked amount gives way to one whose band holds it.
"""

from __future__ import annotations

import math
import re

from domain.text import BULLET

_MONEY = r"£\s?(\d[\d,]*(?:\.\d+)?)\s?(k|m|bn|million|billion|thousand)?\b"
_AMOUNT = re.compile(_MONEY, re.I)
_VALUE_OF = r"(?:(?:the|a)\s+(?:total\s+)?value\s+of\s+)?"  # "contracts over the value of £100k"
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_BETWEEN = re.compile(rf"(?:between\s+)?{_MONEY}\s*(?:-|–|—|to|and)\s*{_MONEY}", re.I)
_ABOVE = re.compile(rf"\b(?:above|over|more than|exceeding|greater than|in excess of|from)\s+{_VALUE_OF}{_MONEY}", re.I)
_ONWARDS = re.compile(rf"{_MONEY}(?:\+|\s+(?:and above|and over|or more|or above|upwards|up to (?!£)))", re.I)
_BELOW = re.compile(
    rf"\b(?:below|under|up to and including|up to|less than|not exceeding|not more than|within)\s+{_VALUE_OF}{_MONEY}",
    re.I,
)
# written after the amount: "£2,000 or under", a table's first column
_OR_UNDER = re.compile(rf"{_MONEY}\s+(?:or|and)\s+(?:under|less|below)\b", re.I)
# a band that runs from an amount to a threshold the text names, not a figure: "£25,001 - EU Threshold",
# "£75,001 to the UK threshold"
_TO_THRESHOLD = re.compile(rf"{_MONEY}\s*(?:-|–|—|to)\s*(?:the\s+)?(?:[A-Z]{{2,3}}\s+)?threshold", re.I)


def _value(number: str, scale: str | None) -> float:
    return float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)


def amounts(text: str) -> list[float]:
    """Money amounts written with £ ("£30,000", "£45k", "£1.2 million")."""
    return [_value(n, s) for n, s in _AMOUNT.findall(text)]


def bands(text: str) -> list[tuple[float, float]]:
    """The money bands a sentence states: "£5,000 to £25,000", "above £25,000", "up to £5,000", "£50,001 up to
    the UK threshold", "£2,000 or under", "£25,001 - EU Threshold"."""
    out = []
    for a, sa, b, sb in _BETWEEN.findall(text):
        low, high = _value(a, sa), _value(b, sb or sa)
        out.append((min(low, high), max(low, high)))
    rest = _BETWEEN.sub(" ", text)
    above = [_value(n, s) for n, s in _ABOVE.findall(rest) + _ONWARDS.findall(rest) + _TO_THRESHOLD.findall(rest)]
    below = [_value(n, s) for n, s in _BELOW.findall(rest) + _OR_UNDER.findall(rest)]
    if len(above) == 1 and len(below) == 1 and above[0] < below[0]:
        return [*out, (above[0], below[0])]  # "above £25,000 and up to £100,000": one band
    return out + [(x, math.inf) for x in above] + [(0.0, x) for x in below]


def fits(asked: list[float], text: str) -> bool | None:
    """True when a band of ``text`` holds an asked amount, False when it states bands that hold none,
    None when it states no band (nothing to check)."""
    found = bands(text)
    if not asked or not found:
        return None
    return any(low <= x <= high for x in asked for low, high in found)


# A table's row label or a list's band item is a short line: "£2,001 - £25,000", "Contracts between £30k and £100k."
ROW_LABEL_WORDS = 6
ROW_LINES = 4  # the most lines one label governs: a row's cell, or the items listed under a band


def row_bands(lines: list[str]) -> tuple[list[str], set[int]]:
    """For each line of a passage, the money band a table or list sets it under ("" for none), and which
    lines are the labels (a label says no more than its band: the lines under it carry it into an answer).

    A web page's or a document's table, read as text, puts a row's band on a line of its own and the rule
    on the lines after it ("£2,001 - £25,000" / "Three written and meaningful quotations."); a list may
    state the band as one item and the rule as the next ("- Contracts between £30k and £100k." / "- Three
    quotations must be sought ..."). The rule's sentence says nothing of the amount, so "how many quotes for
    a £45k job?" could not find its band. A short line that states a band labels the lines after it, up to
    the next such line, a short heading of its own ("Above EU Threshold", no closing stop), or
    :data:`ROW_LINES` lines. A table row kept on one line ("£10,001 - £50,000 | A minimum of 3 written quotes.
    Formal contract conditions apply.") is under the band of its first cell, every sentence of it."""
    out: list[str] = []
    labels: set[int] = set()
    label, left = "", 0
    for j, line in enumerate(lines):
        text = BULLET.sub("", line).strip()
        first = text.split(" | ")[0]
        if first != text and len(first.split()) <= ROW_LABEL_WORDS and bands(first):
            out.append(first.rstrip(".*:; "))  # a row of its own: its first cell is its band
            label = ""
            continue
        short = len(text.split()) <= ROW_LABEL_WORDS
        if short and amounts(text):
            label, left = (text.rstrip(".*:; ") if bands(text) else ""), ROW_LINES
            labels.update([j] if label else [])
            out.append("")
            continue
        if short and not text.endswith((".", ":", ";", ")", "!", "?")):
            label = ""  # a heading: a new part of the page
        out.append(label if left > 0 else "")
        left -= 1
    return out, labels
