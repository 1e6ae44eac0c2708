"""Text normal form used wherever two texts are compared (quotes, descriptors, citations)."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Case-, quote- and whitespace-insensitive; rejoins words split after '-' or '/' at PDF line ends."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(\w)([-/]) (\w)", r"\1\2\3", text).strip()
