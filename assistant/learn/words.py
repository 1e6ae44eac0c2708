"""A text's words as TF-IDF features, kept as data (vocabulary and IDF) instead of a pickled estimator.

Fitted by scikit-learn's ``TfidfVectorizer`` (sublinear term frequency, L2 norm); :meth:`Words.transform`
computes the same numbers with NumPy, so a saved file reads the same in any scikit-learn version.
Two readings of "words": as written (the intent classifier: "why", "who" and "how" are what it needs)
or stemmed with stop words out, as the retrieval reads them (the assessor's descriptor wording).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.retrieval import tokenize

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern


def _tokens(text: str, stemmed: bool) -> list[str]:
    if stemmed:
        return tokenize([text])[0]
    return _TOKEN.findall(text.lower())


@dataclass
class Words:
    vocabulary: list[str]
    idf: np.ndarray
    stemmed: bool = False
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index = {w: j for j, w in enumerate(self.vocabulary)}  # built once, not on every question

    def transform(self, texts: list[str]) -> np.ndarray:
        index = self._index
        out = np.zeros((len(texts), len(self.vocabulary)))
        for i, text in enumerate(texts):
            for token in _tokens(text, self.stemmed):
                if token in index:
                    out[i, index[token]] += 1.0
        out = np.where(out > 0, 1.0 + np.log(np.where(out > 0, out, 1.0)), 0.0) * self.idf
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def beside(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """The texts' embeddings (``vectors``) with their words as further columns."""
        return np.hstack([np.atleast_2d(vectors), self.transform(texts)])

    @classmethod
    def fit(cls, texts: list[str], min_df: int = 2, stemmed: bool = False) -> Words:
        """Words in at least ``min_df`` texts: a word one question used is noise, not evidence."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        def analyse(text: str) -> list[str]:
            return _tokens(text, stemmed)

        vectorizer = TfidfVectorizer(analyzer=analyse, min_df=min_df, sublinear_tf=True).fit(texts)
        vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        return cls(vocabulary, np.asarray(vectorizer.idf_, dtype=float), stemmed)

    def to_dict(self) -> dict[str, Any]:
        return {"vocabulary": self.vocabulary, "idf": np.round(self.idf, 6).tolist(), "stemmed": self.stemmed}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Words:
        return cls(list(d["vocabulary"]), np.asarray(d["idf"], dtype=float), bool(d.get("stemmed", False)))
