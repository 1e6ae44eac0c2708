"""The fitted assessor's two models: which key area a practice is about, and at which level.

Features are evidence the maturity model itself supplies, so they mean the same for words
nobody here wrote:

- area: the practice's sentence embedding, its similarity to each of the 70 level descriptors
  in meaning (embeddings) and in wording (TF-IDF cosine), to each area's own texts (name,
  aliases, description, help), areas named outright, and BM25 keyword scores against each
  area's texts (the wording lifted out-of-fold key area 0.936 -> 0.950, validation 0.929 -> 0.938);
- level (given the area): similarity to that area's five descriptors in meaning (sentence
  embeddings, raw and standardised across the five) and in wording (TF-IDF cosine over the
  descriptors' stemmed words), similarity to the same level in every other area (a level's generic
  wording, the shape every ladder shares: "only when required", "started", "across the
  council" ...), the ordinal cues of ``corpus/maturity_cues.yaml``, and the practice's place
  along the :class:`LevelSpace` (directions in the embedding along which practices of every
  area climb the ladder, learned from the labelled practices).

The level model is ordinal (:class:`~assistant.learn.linear.Ordinal`), so adjacent levels share
evidence instead of being five unrelated classes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import yaml

from assistant.learn.linear import Linear, Ordinal, temperature, tempered_log_loss
from assistant.learn.words import Words
from assistant.retrieval import tokenize
from domain.maturity import Area, MaturityModel
from domain.text import normalise, sentences

Embed = Callable[[list[str]], np.ndarray]
FORMAT = 5
SPLIT_GRID = tuple(round(0.3 + 0.05 * k, 2) for k in range(14))  # sentence area probabilities tried
C_GRID = (0.1, 0.3, 1.0, 3.0)  # regularisation strengths tried; each model's is chosen by grouped k-fold
# the area model is a logistic regression at one of these C, or a shrunk discriminant, whichever grouped
# k-fold places most practices right (on the validation set it chose the discriminant: 0.943 against 0.914)
AREA_CHOICES: tuple[float | str, ...] = (*C_GRID, "discriminant")


def cue_patterns(path: Path, levels: Sequence[str]) -> dict[str, list[re.Pattern[str]]]:
    """Ordinal cue phrases per level (a phrase matched at a word start, or 're:' a regex)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["levels"] if path.exists() else {}

    def pattern(cue: str) -> re.Pattern[str]:
        return (
            re.compile(cue[3:].strip())
            if cue.startswith("re:")
            else re.compile(rf"(?<![a-z]){re.escape(normalise(cue))}")
        )

    return {lv: [pattern(c) for c in raw.get(lv, [])] for lv in levels}


def _z(values: np.ndarray) -> np.ndarray:
    spread = values.std(axis=-1, keepdims=True)
    return (values - values.mean(axis=-1, keepdims=True)) / np.where(spread > 1e-9, spread, 1.0)


class Evidence:
    """Turns a practice into the numbers both models read; built once per process."""

    def __init__(self, model: MaturityModel, embed: Embed, cues_path: Path, named: Callable[[str], list[Area]]):
        self.model = model
        self.embed = embed
        self.levels = list(model.levels)
        self.named = named
        self.cues = cue_patterns(cues_path, self.levels)
        texts = [a.levels[lv] for a in model.areas for lv in self.levels]
        self.descriptors = embed(texts).reshape(len(model.areas), len(self.levels), -1)
        self.profiles = [embed(self._profile(a)) for a in model.areas]
        # keyword evidence: BM25 of the practice against each area's own texts and descriptors
        self._bm25 = bm25s.BM25()
        self._bm25.index(
            tokenize([" ".join([*self._profile(a), *a.levels.values()]) for a in model.areas]), show_progress=False
        )
        # level evidence in the descriptors' own words: TF-IDF over the 70 descriptors, nothing fitted on practices
        self._words = Words.fit(texts, min_df=1, stemmed=True)
        self.descriptor_words = self._words.transform(texts).reshape(len(model.areas), len(self.levels), -1)

    @staticmethod
    def _profile(area: Area) -> list[str]:
        texts = [area.name, ", ".join(area.aliases), area.description, area.what_it_is, area.why_important]
        return [t for t in texts if t]

    def _tfidf(self, text: str) -> np.ndarray:
        return self._words.transform([text])[0]

    def cue_hits(self, text: str) -> dict[str, list[str]]:
        low = normalise(text)
        return {lv: [m.group(0) for c in self.cues[lv] if (m := c.search(low))] for lv in self.levels}

    def area_features(self, text: str, vector: np.ndarray) -> np.ndarray:
        descriptor = (self.descriptors @ vector).ravel()  # 70
        profile = np.array([float((p @ vector).max()) for p in self.profiles])
        named = np.zeros(len(self.model.areas))
        for rank, area in enumerate(self.named(text)[:2]):
            named[self.model.areas.index(area)] = 1.0 if rank == 0 else 0.5
        tokens = tokenize([text])[0]
        keyword = np.asarray(self._bm25.get_scores(tokens), dtype=float) if tokens else np.zeros(len(self.profiles))
        keyword = keyword / keyword.max() if keyword.max() > 0 else keyword
        wording = (self.descriptor_words.reshape(-1, self.descriptor_words.shape[-1]) @ self._tfidf(text)).ravel()
        return np.concatenate([vector, descriptor, profile, named, keyword, wording])

    def level_features(self, text: str, vector: np.ndarray, area_index: int) -> np.ndarray:
        """Per level: similarity to the area's own descriptor (raw and relative), to the same level
        elsewhere, cue counts, and the wording shared with each of the area's own descriptors.
        The raw embedding is left out on purpose: it carries the area's topic more than the level, and
        with it the level model overfit (out-of-fold exact level 0.61 against 0.73 without it on the
        validation set). The wording says what the embedding blurs: "some contracts" against "all
        contracts", "group of councils" against "across the council". Out-of-fold exact level 0.809 ->
        0.837 (validation 0.767 -> 0.795, keyword-free 0.733 -> 0.767); its standardised copy as well
        gave validation 0.786 and keyword-free 0.698, so it is left out."""
        own = self.descriptors[area_index] @ vector
        generic = (np.delete(self.descriptors, area_index, axis=0) @ vector).mean(axis=0)
        cues = np.array([len(v) for v in self.cue_hits(text).values()], dtype=float)
        wording = self.descriptor_words[area_index] @ self._tfidf(text)
        return np.concatenate([own, _z(own), generic, _z(generic), cues, wording])

    def vectors(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts)


@dataclass
class LevelSpace:
    """Where a practice sits on the ladder whatever its area: the practice's embedding less its area's
    centroid, scored by each level's linear discriminant function (linear discriminant analysis with
    Ledoit-Wolf shrinkage, scikit-learn). Taking the area's centroid away leaves what the area's
    practices differ in, which is mostly how far along they are. The five scores, not the four
    discriminant directions, feed the ordinal model: out-of-fold exact level on the validation set
    0.767 against 0.738 with the projection."""

    means: np.ndarray  # areas x dim: each area's centroid over its labelled practices and descriptors
    directions: np.ndarray  # dim x levels: each level's discriminant coefficients, in ladder order

    def transform(self, vectors: np.ndarray, areas: np.ndarray | int) -> np.ndarray:
        return (np.atleast_2d(vectors) - self.means[areas]) @ self.directions

    @classmethod
    def fit(
        cls, vectors: np.ndarray, areas: np.ndarray, levels: list[str], n_areas: int, ladder: Sequence[str]
    ) -> LevelSpace:
        from sklearn.covariance import LedoitWolf
        from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

        means = np.stack([vectors[areas == k].mean(axis=0) for k in range(n_areas)])
        # Ledoit-Wolf shrinkage on the vectors as they are: shrinkage="auto" standardises each dimension
        # first, and a dimension the embeddings barely use (its spread after taking the area's centroid away
        # is float noise) was blown up to unit spread; its direction came out ~1e8, so the saved model
        # (centroids rounded to 1e-5) and one machine's embedding floats against another's turned the level
        # scores into noise
        lda = LinearDiscriminantAnalysis(solver="lsqr", covariance_estimator=LedoitWolf())
        lda.fit(vectors - means[areas], levels)
        columns = [list(lda.classes_).index(lv) for lv in ladder]
        return cls(means, lda.coef_[columns].T)

    def to_dict(self) -> dict[str, Any]:
        return {"means": _rounded(self.means), "directions": _rounded(self.directions)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LevelSpace:
        return cls(np.asarray(d["means"], dtype=float), np.asarray(d["directions"], dtype=float))


def _rounded(a: np.ndarray) -> Any:
    return np.round(np.asarray(a, dtype=float), 5).tolist()


@dataclass
class AssessModel:
    """Area classifier plus ordinal level model, fitted together and saved as one JSON file."""

    area: Linear
    level: Ordinal
    space: LevelSpace
    confident: float  # a level probability at or above this is shown as confident (fitted on folds)
    min_fit: float  # below this best-descriptor similarity a text is not a practice we can place
    split: float = 0.5  # a sentence whose area probability is above this starts a result of its own (fitted)

    def level_input(self, level_x: np.ndarray, vectors: np.ndarray, areas: np.ndarray | int) -> np.ndarray:
        """The level model's input: the evidence features and the place in the level space."""
        return np.hstack([np.atleast_2d(level_x), self.space.transform(vectors, areas)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "area": self.area.to_dict(),
            "level": self.level.to_dict(),
            "space": self.space.to_dict(),
            "confident": self.confident,
            "min_fit": self.min_fit,
            "split": self.split,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AssessModel:
        if d.get("format") != FORMAT:
            raise ValueError("assess.json is from an older assessor: run `procurement-assistant fit`")
        return cls(
            Linear.from_dict(d["area"]),
            Ordinal.from_dict(d["level"]),
            LevelSpace.from_dict(d["space"]),
            d["confident"],
            d["min_fit"],
            d["split"],
        )


@dataclass
class Example:
    text: str
    key_area: str
    level: str


def descriptor_examples(model: MaturityModel) -> list[Example]:
    """The 70 level descriptors are labelled examples too: the strategy's own words for each cell."""
    return [Example(a.levels[lv], a.name, lv) for a in model.areas for lv in model.levels]


@dataclass
class Design:
    """Labelled examples turned into features once (embedding is the slow part), sliced per fold."""

    examples: list[Example]
    vectors: np.ndarray
    area_x: np.ndarray
    level_x: np.ndarray  # level features at each example's true area

    @classmethod
    def build(cls, evidence: Evidence, examples: list[Example]) -> Design:
        vectors = evidence.vectors([e.text for e in examples])
        names = [a.name for a in evidence.model.areas]
        pairs = list(zip(examples, vectors, strict=True))
        xa = np.stack([evidence.area_features(e.text, v) for e, v in pairs])
        xl = np.stack([evidence.level_features(e.text, v, names.index(e.key_area)) for e, v in pairs])
        return cls(examples, vectors, xa, xl)

    def subset(self, index: Sequence[int]) -> Design:
        ix = list(index)
        return Design([self.examples[i] for i in ix], self.vectors[ix], self.area_x[ix], self.level_x[ix])

    def __add__(self, other: Design) -> Design:
        return Design(
            self.examples + other.examples,
            np.vstack([self.vectors, other.vectors]),
            np.vstack([self.area_x, other.area_x]),
            np.vstack([self.level_x, other.level_x]),
        )


@dataclass
class Prediction:
    area_proba: np.ndarray  # over model.areas order
    area_index: int
    level_proba: np.ndarray  # over model.levels, at the predicted (or given) area
    fit: float  # best similarity to any descriptor or area text


def predict(
    evidence: Evidence, model: AssessModel, text: str, vector: np.ndarray, forced_area: int | None = None
) -> Prediction:
    names = [a.name for a in evidence.model.areas]
    xa = evidence.area_features(text, vector)
    raw = model.area.predict_proba(xa)[0]
    proba = np.array([raw[model.area.classes.index(n)] if n in model.area.classes else 0.0 for n in names])
    best = int(np.argmax(proba)) if forced_area is None else forced_area
    lp = model.level.predict_proba(model.level_input(evidence.level_features(text, vector, best), vector, best))[0]
    fit = float(max((evidence.descriptors @ vector).max(), max(float((p @ vector).max()) for p in evidence.profiles)))
    return Prediction(proba, best, lp, fit)


def _areas(evidence: Evidence, design_: Design) -> np.ndarray:
    names = [a.name for a in evidence.model.areas]
    return np.array([names.index(e.key_area) for e in design_.examples])


def fit_area(x: np.ndarray, y: list[str], choice: float | str) -> Linear:
    """The area classifier of one of :data:`AREA_CHOICES`."""
    return Linear.fit_discriminant(x, y) if choice == "discriminant" else Linear.fit(x, y, float(choice))


def fit_models(
    evidence: Evidence, design_: Design, area_choice: float | str = 1.0, c_level: float = 1.0, area_t: float = 1.0
) -> tuple[Linear, Ordinal, LevelSpace]:
    levels, areas = evidence.levels, _areas(evidence, design_)
    space = LevelSpace.fit(
        design_.vectors, areas, [e.level for e in design_.examples], len(evidence.model.areas), levels
    )
    area = fit_area(design_.area_x, [e.key_area for e in design_.examples], area_choice).tempered(area_t)
    level_x = np.hstack([design_.level_x, space.transform(design_.vectors, areas)])
    level = Ordinal.fit(level_x, [e.level for e in design_.examples], levels, c_level)
    return area, level, space


def choose_settings(
    evidence: Evidence, practices: Design, descriptors: Design, groups: list[str], folds: int = 5
) -> tuple[float | str, float, float]:
    """(area model from :data:`AREA_CHOICES` with the lowest log loss out-of-fold at its own
    :func:`temperature`, level C from :data:`C_GRID` with the lowest :func:`ranked_probability_score`
    out-of-fold; grouped k-fold, the earlier choice on a tie), and the chosen area model's temperature.
    For the area, the number right tied or parted by one or two practices: inside the evaluation's outer
    folds it chose a logistic regression in three of five, and the outer out-of-fold key area was 0.936
    (validation 0.924); the calibrated log loss, a proper score, chose the discriminant in four of five:
    0.954 (validation 0.943), as the discriminant alone.
    For the level, the number right chose C unsteadily (0.1 to 1.0 across the evaluation's folds) and
    log loss ignores the ladder's order; the ranked probability score does neither: out-of-fold exact
    level 0.837 -> 0.851 (validation 0.795 -> 0.805), within one 0.968 -> 0.979 (validation 0.957 ->
    0.971)."""
    from sklearn.model_selection import GroupKFold

    loss = {c: 0.0 for c in C_GRID}  # levels: the ranked probability score
    held_out: dict[float | str, list[tuple[np.ndarray, list[int]]]] = {c: [] for c in AREA_CHOICES}
    levels = evidence.levels
    for train, test in GroupKFold(min(folds, len(set(groups)))).split(practices.area_x, groups=groups):
        part, held = practices.subset(train) + descriptors, practices.subset(test)
        areas, held_areas = _areas(evidence, part), _areas(evidence, held)
        space = LevelSpace.fit(part.vectors, areas, [e.level for e in part.examples], len(evidence.model.areas), levels)
        level_x = np.hstack([part.level_x, space.transform(part.vectors, areas)])
        held_x = np.hstack([held.level_x, space.transform(held.vectors, held_areas)])
        truth_level = [levels.index(e.level) for e in held.examples]
        for choice in AREA_CHOICES:
            area = fit_area(part.area_x, [e.key_area for e in part.examples], choice)
            z = area.decision(held.area_x)
            held_out[choice].append((z, [area.classes.index(e.key_area) for e in held.examples]))
        for c in C_GRID:
            lp = Ordinal.fit(level_x, [e.level for e in part.examples], levels, c).predict_proba(held_x)
            loss[c] += ranked_probability_score(lp, truth_level)
    calibrated: dict[float | str, tuple[float, float]] = {}  # choice: (log loss at its temperature, temperature)
    for choice, parts in held_out.items():
        z, truth = np.vstack([d for d, _ in parts]), np.concatenate([np.asarray(right) for _, right in parts])
        t = temperature(z, truth)
        calibrated[choice] = (tempered_log_loss(z, truth, t), t)
    area_choice = min(AREA_CHOICES, key=lambda c: calibrated[c][0])
    return area_choice, min(C_GRID, key=lambda c: loss[c]), calibrated[area_choice][1]


def wilson_lower(hits: int, n: int, z: float = 1.645) -> float:
    """One-sided 95 % lower bound of a share (Wilson score interval): what the share is at least."""
    if n == 0:
        return 0.0
    p, zz = hits / n, z * z
    return (p + zz / (2 * n) - z * np.sqrt(p * (1 - p) / n + zz / (4 * n * n))) / (1 + zz / n)


def ranked_probability_score(proba: np.ndarray, truth: Sequence[int]) -> float:
    """Summed ranked probability score of ordinal predictions (lower is better): the squared gaps between
    predicted and true cumulative shares, so Leader for Innovator costs less than Minimum for Innovator."""
    cumulative = np.cumsum(proba, axis=1)
    observed = (np.arange(proba.shape[1])[None, :] >= np.asarray(truth)[:, None]).astype(float)
    return float(np.sum((cumulative - observed) ** 2))


def confident_threshold(probas: list[float], correct: list[bool], target: float = 0.85) -> float:
    """The lowest level probability above which out-of-fold exact level is at least ``target`` with 95 %
    confidence (:func:`wilson_lower`), not just on these practices: with the point share, the model that
    placed 84 in 100 practices right called 96 in 100 of its results confident, and text that told it
    little ("Procurement is something we think about") came out confident too."""
    order = np.argsort(probas)[::-1]
    best = 1.0
    hits = 0
    for rank, i in enumerate(order, start=1):
        hits += correct[i]
        if wilson_lower(hits, rank) >= target:
            best = float(probas[i])
    return round(best, 4)


@dataclass
class SplitData:
    """What the cut-off for "this sentence is about an area of its own" is fitted on: every practice's
    sentences read out-of-fold. A practice of two or more sentences should give one result; two
    practices of different areas run together (as a self-assessment paragraph does) should give those
    two areas. The cut-off that gets most of both right is kept."""

    texts: list[list[str]]  # each practice's sentences
    areas: list[int]  # each practice's true area
    read_as: list[list[tuple[int, float, float]]]  # per sentence: (area, its probability, fit), out-of-fold
    evidence: Evidence
    folds: list[list[int]]

    @classmethod
    def of(cls, evidence: Evidence, practices: Design) -> SplitData:
        texts = [sentences(e.text) or [e.text] for e in practices.examples]
        return cls(texts, _areas(evidence, practices).tolist(), [[] for _ in texts], evidence, [])

    def read(self, model: AssessModel, held: list[int]) -> None:
        flat = [t for i in held for t in self.texts[i]]
        vectors = iter(self.evidence.vectors(flat))
        for i in held:
            for text in self.texts[i]:
                p = predict(self.evidence, model, text, next(vectors))
                self.read_as[i].append((p.area_index, float(p.area_proba[p.area_index]), p.fit))
        self.folds.append(held)

    def choose(self, floor: float) -> tuple[float, float]:
        """(cut-off from :data:`SPLIT_GRID`, the share right at it); the higher cut-off on a tie."""

        def areas(reads: list[tuple[int, float, float]], cut: float) -> set[int]:
            return {a for a, p, fit in reads if p > cut and fit >= floor}

        singles = [i for fold in self.folds for i in fold if len(self.texts[i]) > 1]
        pairs = [  # each practice with the next one of another area in its fold
            (i, j)
            for fold in self.folds
            for k, i in enumerate(fold)
            for j in [next((j for j in fold[k + 1 :] if self.areas[j] != self.areas[i]), None)]
            if j is not None
        ]

        def right(cut: float) -> float:
            one = [len(areas(self.read_as[i], cut)) < 2 for i in singles]
            two = [areas(self.read_as[i] + self.read_as[j], cut) == {self.areas[i], self.areas[j]} for i, j in pairs]
            return (float(np.mean(one)) if one else 1.0) / 2 + (float(np.mean(two)) if two else 1.0) / 2

        scores = {cut: right(cut) for cut in SPLIT_GRID}
        best = max(SPLIT_GRID, key=lambda c: (scores[c], c))
        return best, round(scores[best], 3)


def fit_assess(
    evidence: Evidence, practices: Design, descriptors: Design, groups: list[str], folds: int = 5
) -> tuple[AssessModel, dict[str, Any]]:
    """Fit both models on every practice plus the descriptors, with regularisation chosen by grouped
    k-fold; the confidence threshold and the "not a practice" floor come from out-of-fold predictions
    on the practices."""
    from sklearn.model_selection import GroupKFold

    levels = evidence.levels
    names = [a.name for a in evidence.model.areas]
    settings = choose_settings(evidence, practices, descriptors, groups, folds)  # area model, level C, area temperature
    probas, correct, fits = [0.0] * len(practices.examples), [False] * len(practices.examples), []
    split_data = SplitData.of(evidence, practices)
    n_folds = min(folds, len(set(groups)))
    for train, test in GroupKFold(n_folds).split(practices.area_x, groups=groups):
        part = AssessModel(*fit_models(evidence, practices.subset(train) + descriptors, *settings), 0.0, 0.0)
        split_data.read(part, list(test))
        for i in test:
            e = practices.examples[i]
            p = predict(evidence, part, e.text, practices.vectors[i])
            li = int(np.argmax(p.level_proba))
            probas[i] = float(p.level_proba[li] * p.area_proba[p.area_index])
            correct[i] = names[p.area_index] == e.key_area and levels[li] == e.level
            fits.append(p.fit)
    area, level, space = fit_models(evidence, practices + descriptors, *settings)
    threshold = confident_threshold(probas, correct)
    floor = round(float(np.quantile(fits, 0.01)), 4)  # 99 in 100 genuine practices are placed
    chosen = dict(zip(("area_model", "c_level", "area_temperature"), settings, strict=True))
    info = {"oof_joint": float(np.mean(correct)), **chosen}
    split, info["split_accuracy"] = split_data.choose(floor)
    return AssessModel(area, level, space, threshold, floor, split), info
