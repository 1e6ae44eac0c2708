"""How to merge the keyword and the dense ranking: a fitted fusion instead of a fixed formula.

Each passage in either retriever's candidates is described by its ranks and scores in both,
the kind of passage it is (a level descriptor, a key area's help text, prose), its length,
how many of the query's words name its document (title, publisher, date), so a question that
names the 2022 strategy or a council's rules finds that document's passages, and how well its
single best sentence meets the query (similarity, and IDF-weighted share of the query's
words): a question is usually answered by one sentence of a 1,200-character passage; and what the
query names of the maturity model (entity linking: its key area, level or theme is the passage's);
and how many of the model's names (themes, key areas, enablers) the passage holds: the overview and
the figure that set out the structure hold most, and answer "which key areas sit under the
leadership strand?" (out-of-fold on the labelled questions' pools: hit@5 0.899 -> 0.916, MRR
0.751 -> 0.759); and the chance that the passage's kind is what the question asks for (the intent
classifier's P(why) for a "why it is important" passage, P(definition) for a description, P(level) for a
level descriptor: :data:`~assistant.learn.kinds.ANSWERED_BY`), so "why does engaging senior managers
matter?" is not answered from the Minimum descriptor because it says "purely operational matters".
A logistic
regression (scikit-learn) fitted on the labelled questions' answering passages orders them;
reciprocal rank fusion (k=60) is its baseline in the evaluation.
"""

from __future__ import annotations

import numpy as np

from assistant.learn.linear import FeatureModel

FEATURES = (
    "rrf",
    "bm25_reciprocal_rank",
    "dense_reciprocal_rank",
    "bm25_relative_score",
    "dense_score",
    "dense_gap_to_best",
    "kind_level",
    "kind_help",
    "kind_prose",
    "length",
    "names_its_document",
    "best_sentence_similarity",
    "best_sentence_overlap",
    "names_its_key_area",
    "names_its_level",
    "names_a_theme_it_holds",
    "holds_the_structure",
    "members_reciprocal_rank",
    "kind_is_what_is_asked",
)


class Fusion(FeatureModel):
    """A score per candidate passage (higher first), from :data:`FEATURES`."""

    NAMES = FEATURES

    def scores(self, x: np.ndarray) -> np.ndarray:
        return self.probabilities(x)


def fit_fusion(x: np.ndarray, y: list[int]) -> Fusion:
    return Fusion.fit(x, y)
