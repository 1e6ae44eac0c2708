"""Money amounts in a question, and the ranges a sentence states, so "how many quotes for a £30,000
contract?" is answered by the rule whose band holds £30,000, not the nearest-sounding one.

A consistency check, not a weight: among the sentences the ranker would show, one whose stated
band excludes the asked amount gives way to one whose band holds it.
"""

from __future__ import annotations

import math
import re

_MONEY = r"£\s?(\d[\d,]*(?:\.\d+)?)\s?(k|m|bn|million|billion|thousand)?\b"
_AMOUNT = re.compile(_MONEY, re.I)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_BETWEEN = re.compile(rf"(?:between\s+)?{_MONEY}\s*(?:-|–|—|to|and)\s*{_MONEY}", re.I)
_ABOVE = re.compile(rf"\b(?:above|over|more than|exceeding|greater than|in excess of|from)\s+{_MONEY}", re.I)
_ONWARDS = re.compile(rf"{_MONEY}(?:\+|\s+(?:and above|and over|or more|or above|upwards|up to (?!£)))", re.I)
_BELOW = re.compile(rf"\b(?:below|under|up to|less than|not exceeding|not more than|within)\s+{_MONEY}", re.I)


def _value(number: str, scale: str | None) -> float:
    return float(number.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)


def amounts(text: str) -> list[float]:
    """Money amounts written with £ ("£30,000", "£45k", "£1.2 million")."""
    return [_value(n, s) for n, s in _AMOUNT.findall(text)]


def bands(text: str) -> list[tuple[float, float]]:
    """The money bands a sentence states: "£5,000 to £25,000", "above £25,000", "up to £5,000", "£50,001 up to
    the UK threshold"."""
    out = []
    for a, sa, b, sb in _BETWEEN.findall(text):
        low, high = _value(a, sa), _value(b, sb or sa)
        out.append((min(low, high), max(low, high)))
    rest = _BETWEEN.sub(" ", text)
    above = [_value(n, s) for n, s in _ABOVE.findall(rest) + _ONWARDS.findall(rest)]
    below = [_value(n, s) for n, s in _BELOW.findall(rest)]
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
