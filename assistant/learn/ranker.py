"""Which candidate sentence answers the question? A fitted sentence ranker.

Each candidate (a sentence of a retrieved passage, or a statement of the maturity model's
structure) is described by how it meets the question, never by reading the question's
phrasing: similarity, IDF-weighted word overlap with what is asked and with its topic, where
its passage ranked, whether the passage is about the linked key area, what kind of passage it
is (definition, "why it is important", level descriptor, a list, a quantity, a year, a name, a model
statement; a year dates a sentence and counts nothing, so "The National Procurement Strategy ... 2018 focuses
on three themes" states no figure for "how much do councils spend each year?"), and whether it opens with
the question's own words (the shape of a definition).
A level descriptor also comes shown with the level above it ("The next level, Mature, is: ..."); that it
does enters only through the question's level intents, so the step up is shown when a level is asked for.
How much of the sentence is about what is asked (a long list sentence meets many questions a
little) is its share of asked words; whether the question names the sentence's document (its
title, publisher or date: "the Localis update") is another. Similarity and overlap also enter as the gap to the best
candidate of the same question, so the model compares candidates with each other, not only with
other questions' candidates.
What the question asks for enters as the fitted intent classifier's probabilities times the
matching candidate kind (:data:`INTERACTIONS`): P(why) x "why it is important" passage, and so on.
A logistic regression (scikit-learn) fitted on labelled questions turns them into the chance
that the sentence is a whole answer: it holds every required term of the question, or is quoted
from the passage the answer comes from. Boosted trees of depth three (:mod:`assistant.learn.trees`),
fitted on the same rows, give a second reading of that chance, in which what one feature is worth may
depend on another; the in-scope model reads it (see :class:`Ranker`). The classes are not reweighted, so the
probability keeps its meaning: about 4 in 100 candidates are whole answers, and that base rate (``prior``, fitted
with the model) is the bar a further sentence must clear, "more likely right than a candidate
picked at random". Out-of-fold, against the earlier labels (half the required terms, classes
weighted equally, a further sentence at 0.5), the top three candidates hold every required term
for 0.856 of 187 questions instead of 0.813, with fewer sentences (2.79 on average, was 2.9).
A sentence's length is not a feature: the label leans to long sentences (they hold more words of anything
asked), and a length weight fitted on it let long list sentences that touch many topics ("Among other
things, the key areas pick up actions ...: a; b; c", "The LGA/NAG will provide national leadership by: ...")
lead answers to questions about one of their parts. Out-of-fold over dev + validation (246 questions), without
it and with a list read also through P(structure), facts 0.846 -> 0.866, both 0.809 -> 0.833.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.learn.intent import INTENTS
from assistant.learn.linear import FeatureModel, Linear
from assistant.learn.trees import Trees

CANDIDATE = (  # what the composer reads off each candidate and the question
    "similarity",
    "overlap_asked",
    "holds_every_asked_word",
    "overlap_topic",
    "passage_rank",
    "same_key_area",
    "is_list",
    "has_quantity",
    "has_year",
    "is_statement",
    "kind_definition",
    "kind_why",
    "kind_level",
    "opens_with_question_words",
    "names_just_the_linked_theme",
    "has_name",
    "asked_share_of_sentence",
    "question_names_its_document",
    "steps_up",
)
# (feature, name): a candidate's gap to the best candidate of the same question by that feature
GAPS = (("similarity", "similarity_below_best"), ("overlap_asked", "overlap_below_best"))
BASE = CANDIDATE + tuple(name for _, name in GAPS)
# (intent, candidate feature): the pairs whose product is a feature, so the ranker learns how much a
# definition passage is worth when the question asks for a definition, a figure when it asks for one ...
INTERACTIONS = (
    ("definition", "kind_definition"),
    ("why", "kind_why"),
    ("list", "is_list"),
    ("structure", "is_list"),  # "which key areas sit under leadership?" is answered by a list, labelled structure
    ("numeric", "has_quantity"),
    ("fact", "has_year"),
    ("who", "has_name"),
    ("structure", "is_statement"),
    ("level", "kind_level"),
    ("level", "steps_up"),
    ("compare_levels", "kind_level"),
    ("compare_levels", "steps_up"),
    ("howto", "kind_definition"),
)
# candidate features that enter only through their interactions: a level descriptor shown with the level above
# is worth what the question's reading of "level" makes it, not more for every question
ONLY_INTERACTING = ("steps_up",)
_KEPT = [i for i, f in enumerate(BASE) if f not in ONLY_INTERACTING]  # the base columns the ranker reads
FEATURES = tuple(BASE[i] for i in _KEPT) + tuple(f"{intent}_x_{kind}" for intent, kind in INTERACTIONS)


def rows(candidate: np.ndarray, intents: np.ndarray) -> np.ndarray:
    """The ranker's rows (:data:`FEATURES`) for one question: its candidates' :data:`CANDIDATE` columns,
    their gaps to the question's best, and the interactions with the question's intent probabilities."""
    if not len(candidate):
        return np.zeros((0, len(FEATURES)))
    gaps = [candidate[:, CANDIDATE.index(f)] - candidate[:, CANDIDATE.index(f)].max() for f, _ in GAPS]
    base = np.column_stack([candidate, *gaps])
    extra = [base[:, BASE.index(kind)] * intents[INTENTS.index(intent)] for intent, kind in INTERACTIONS]
    return np.column_stack([base[:, _KEPT], *extra])


@dataclass
class Ranker(FeatureModel):
    """P(candidate sentence is a whole answer to the question), from :data:`FEATURES`, twice over: the logistic
    regression ``model`` orders the candidates and decides which join the answer (``prior``, the share of
    candidates that are right, is the bar for a sentence beside the best); boosted ``trees`` give the chance the
    in-scope model reads (:meth:`answer_probabilities`). Out-of-fold, the trees ordering the answer lost facts
    (0.850 -> 0.821 of 246 questions) while their sharper best chance declined more out-of-scope questions
    (0.857 -> 0.889 at 0.028 false refusals): each reading is used where it did better."""

    model: Linear
    prior: float
    trees: Trees

    NAMES = FEATURES

    def likely(self, probability: float) -> bool:
        """More likely right than a candidate picked at random."""
        return probability >= self.prior

    def answer_probabilities(self, x: np.ndarray) -> np.ndarray:
        """The trees' P(whole answer) of each candidate: what the in-scope model reads of the best one."""
        return self.trees.predict_proba(x)[:, 1]

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "prior": self.prior, "trees": self.trees.to_dict()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Ranker:
        if list(d.get(cls.KEY, [])) != list(cls.NAMES) or "prior" not in d or "trees" not in d:
            raise ValueError(f"{cls.__name__} was fitted on other {cls.KEY}: run `procurement-assistant fit`")
        return cls(Linear.from_dict(d["model"]), float(d["prior"]), Trees.from_dict(d["trees"]))


def fit_ranker(x: np.ndarray, y: list[int], groups: list[str] | None = None) -> Ranker:
    """Logistic regression with the regularisation chosen by cross-validation on log loss, and boosted trees
    (:mod:`assistant.learn.trees`) as many as ``groups``-wise cross-validation on log loss chooses; the classes
    at their own rates in both (calibrated probabilities)."""
    linear = Linear.fit(x, [str(v) for v in y], c=None, balanced=False)
    return Ranker(linear, round(float(np.mean(y)), 4), Trees.fit(x, y, groups))
