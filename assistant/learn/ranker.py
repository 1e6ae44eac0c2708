"""Which candidate sentence answers the question? A fitted sentence ranker.

Each candidate (a sentence of a retrieved passage, or a statement of the maturity model's
structure) is described by how it meets the question, never by reading the question's
phrasing: similarity, IDF-weighted word overlap with what is asked and with its topic, where
its passage ranked, whether the passage is about the linked key area, what kind of passage it
is (definition, "why it is important", level descriptor, a list, a figure, a model statement),
and whether it opens with the question's own words (the shape of a definition).
A logistic regression (scikit-learn) fitted on labelled questions turns them into the chance
that the sentence holds the answer; the composer takes the best and adds others the model
rates more likely right than wrong.
"""

from __future__ import annotations

import numpy as np

from assistant.learn.linear import FeatureModel

FEATURES = (
    "similarity",
    "overlap_asked",
    "holds_every_asked_word",
    "overlap_topic",
    "passage_rank",
    "same_key_area",
    "is_list",
    "has_figure",
    "is_statement",
    "kind_definition",
    "kind_why",
    "kind_level",
    "opens_with_question_words",
    "words",
    "names_just_the_linked_theme",
)


class Ranker(FeatureModel):
    """P(candidate sentence answers the question), from :data:`FEATURES`."""

    FEATURES = FEATURES


def fit_ranker(x: np.ndarray, y: list[int]) -> Ranker:
    return Ranker.fit(x, y)
