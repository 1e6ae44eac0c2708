"""Is a question answered by the passages retrieved for it? A calibrated in-scope probability.

The features say how well the best passages and sentences meet the question, with no reading
of its phrasing:

- coverage: IDF-weighted share of the question's content words found in the top 3 and top 6
  passages, and the heaviest content word found in none of them;
- similarity: of the question to its best candidate sentence, the mean of the best three, and
  to the best passage's own sentences;
- asked-for details: figures and capitalised names in the question that no passage holds
  (a £ amount outside every band the passages state, a year, a PPN number, a named body; a
  passage holds its document's title and the title's initials, "NPS", and the model's level
  names are its own: "NPS" had counted as missing for six answerable questions), and
  a question the intent classifier reads as asking for a number (P(numeric)) whose answering
  sentence (the one the ranker rates best; it had been the most similar one) states no figure
  (or only those the question gave, or only years, which date a sentence and count nothing: "how
  many councils took part in the spring 2017 self-assessment?" against "In Spring 2017 councils
  assessed their own progress"):
  "how many strategic suppliers does a typical council have?" against passages that give no count.
  (The ranker's choice is not always better: since it reads whether a sentence states a quantity, for
  "what percentage of council contracts go to SMEs?" it rates a sentence with a figure first, so this
  feature no longer fires there; for "how much did DLUHC put into the
  programme?" it rates "Close to 200 local government officers ... will undergo" first, a count where
  a sum is asked, which the most similar sentence, on the funding but with no sum, had caught.)
  Not counting the question's own figures raised out-of-fold declines from 0.52 to
  0.58 of the near misses the scope model reads, at the same false refusals (0.041); reading the
  ranker's sentence instead of the most similar one raised declines in the full evaluation from
  0.794 to 0.857 of the out-of-scope questions at the same false refusals (0.028);
- the sentence ranker's highest probability that one candidate is a whole answer (calibrated, so
  comparable across questions). For the questions it learnt from, fit reads it from a ranker
  refitted without them (grouped k-fold), or the scope model would learn from probabilities
  higher than any new question gets. Out-of-fold, on the questions the scope model reads, it
  raised declines from 0.368 to 0.447 while false refusals went from 0.052 to 0.041.

The question's own embedding was tried as a feature and left out: it raised out-of-fold
declines at 5 % false refusals from about 0.37 to 0.51 on the bundled corpus, but it learns
which topics the bundled guidance lacks (thresholds, quotes, the Procurement Act), and so
refused those very questions once a council uploaded its contract rules. Scope has to follow
what is indexed, not what was indexed when it was fitted.

A logistic regression (scikit-learn) turns them into a probability; the threshold is chosen on
out-of-fold probabilities so that at most 4 in 100 answerable questions are refused here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from assistant.learn.linear import Linear, Named
from domain.amounts import amounts, bands
from domain.text import number_word, years_in

FEATURES = (
    "coverage_top3",
    "coverage_top6",
    "missing_idf_max",
    "sim_best",
    "sim_top3",
    "sim_first_passage",
    "figures_missing",
    "names_missing",
    "number_asked_none_given",
    "best_candidate_probability",
)
# The budget is 5 in 100 answerable questions refused in all; the guard's topic classifier is
# fitted to take at most 1 in 100 for off topic (topic.MAX_OFF_TOPIC_ERRORS), this model the rest.
MAX_FALSE_REFUSALS = 0.04

_FIGURE = re.compile(r"£?\d[\d,.]*\s?(?:k|m|bn|%|per cent)?", re.I)
_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][A-Za-z]{2,}\b|\b[A-Z]{2,}\b")


def figures(text: str) -> set[str]:
    return {re.sub(r"[^\d.]", "", f).strip(".") for f in _FIGURE.findall(text)} - {""}


def quantities(text: str) -> set[str]:
    """The figures of ``text`` that count or measure: its years date what it says ("In Spring 2017 ..."),
    while an amount written with a comma ("£2,000") stays an amount."""
    return figures(text) - years_in(text)


def names(text: str) -> set[str]:
    return {n.lower() for n in _NAME.findall(text.strip())}


def detail_gaps(question: str, passages: str) -> tuple[float, float]:
    """(figures, capitalised names) in the question that the passages never mention."""
    low = passages.lower()
    # a £ amount inside a band the passages state ("£30,000" against "above £25,000 and up to £100,000") is held
    inside = {f"{x:g}" for x in amounts(question) if any(lo <= x <= hi for lo, hi in bands(passages))}
    # a count the passages write out is held: "the 3 big headings" against "focuses on three themes"
    # (not one written with a leading zero, "PPN 06/20", which names rather than counts; nor "0", whose word is "no")
    asked = figures(question)
    held = figures(passages) | {
        f for f in asked if f.isdigit() and f[0] != "0" and re.search(rf"\b{number_word(int(f))}\b", low)
    }
    fig = sum(1 for f in asked if f not in held and f"{float(f):g}" not in inside)
    nm = sum(1 for n in names(question) if n not in low)
    return float(fig), float(nm)


@dataclass
class Scope(Named):
    """In-scope probability and the threshold below which a question is declined."""

    threshold: float
    NAMES = FEATURES
    EXTRA = ("threshold",)

    def probability(self, features: np.ndarray) -> float:
        return float(self.model.predict_proba(features)[0, self.model.classes.index("1")])

    def in_scope(self, features: np.ndarray) -> bool:
        return self.probability(features) >= self.threshold


def threshold_for(in_scope_probas: list[float], max_false: float = MAX_FALSE_REFUSALS) -> float:
    """The highest threshold that refuses at most ``max_false`` of answerable questions."""
    if not in_scope_probas:
        return 0.5
    return float(np.quantile(np.asarray(in_scope_probas), max_false, method="lower"))


def fit_scope(x: np.ndarray, y: list[int], groups: list[str], folds: int = 5) -> tuple[Scope, np.ndarray]:
    """Fit on everything; choose the threshold on out-of-fold probabilities (grouped k-fold).

    Returns the model and the out-of-fold probabilities (for the report's curve)."""
    from sklearn.model_selection import GroupKFold

    labels = [str(v) for v in y]
    oof = np.zeros(len(y))
    for train, test in GroupKFold(min(folds, len(set(groups)))).split(x, groups=groups):
        part = Linear.fit(x[train], [labels[i] for i in train], c=None)
        oof[test] = part.predict_proba(x[test])[:, part.classes.index("1")]
    model = Linear.fit(x, labels, c=None)
    threshold = threshold_for([p for p, v in zip(oof, y, strict=True) if v == 1])
    return Scope(model, round(threshold, 4)), oof
