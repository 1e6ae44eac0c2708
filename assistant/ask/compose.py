"""Grounded compose: an answer built only from retrieved passages and the maturity model.

The direct answer comes first (one sentence, or a short list for list questions), then at most
a few supporting points, each with a citation marker. Every sentence is a sentence of a cited
passage (labels like "At the Mature level of ..." restate the passage's own header), so there
is nothing for a reader to take on trust. When no passage covers the question's content, the
answer says so and offers the nearest related passage, labelled as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
from langchain_core.documents import Document

from assistant.ask.language import (
    EntityLinker,
    content_terms,
    glossary,
    level_vocabulary,
    meant_words,
    mentions_levels,
    named_levels,
    strip_names,
    terms,
)
from assistant.ask.statements import StatementBook, and_list
from assistant.ask.turn import Turn
from assistant.cache import LRUCache
from assistant.learn.intent import Intent
from assistant.learn.kinds import INTENTS, uniform
from assistant.learn.ranker import CANDIDATE, Ranker
from assistant.learn.ranker import rows as ranker_rows
from assistant.learn.scope import Scope, detail_gaps, figures, quantities
from assistant.learn.scope import names as scope_names
from domain.amounts import amounts, bands, fits, row_bands
from domain.labels import is_header, strip_level_label, strip_part_label
from domain.maturity import Area, MaturityModel
from domain.replies import NOT_COVERED
from domain.safety import addresses_assistant
from domain.text import BULLET, normalise, number_word, sentences, title_initials, weighted_share, years_in
from domain.types import Answer, Citation

REPEAT = 0.6  # a sentence most of whose words are already said says nothing new (the old composer's share, kept)
MAX_WORDS = 80  # an answer, not a passage: what users asked for (#14), not a fitted figure
HOSTILE_NOTICE = "A document I searched contains text addressed to an AI assistant; I ignored it."
_MARKUP = re.compile(r"\*\*|__|<https?://[^>]*>|\[([^\]]*)\]\(#?\)")
_UNFINISHED = re.compile(r"[A-Za-z,]$")  # a paragraph that stops mid-sentence
# a web or email address: "https://khub.net", "www.localis.org.uk", "jonathan.werran@localis.org.uk"
_ADDRESS = re.compile(r"\S*(?:://|www\.)\S*|\S+@\S+", re.I)
_LINKISH = re.compile(
    r"^(learn more|download|visit|read more|click|view (all|online)|register|scan me|leave a reply)\b", re.I
)
_WHO = re.compile(r"^\s*(who|which (organisation|body|bodies|department))\b", re.I)
_NUMERIC = re.compile(
    r"\b(how (much|many|big|large)|what (percentage|proportion|share|amount|figure|number)|"
    r"what is the (threshold|turnover|limit|gap|cost))\b",
    re.I,
)
_LIST_Q = re.compile(r"^\s*(which|what are|what were|list|name)\b|\b(what|which) \w+ (do|does|did|should|will)\b", re.I)
_WHEN = re.compile(r"^\s*when\b", re.I)
_PERSON = re.compile(r"(?<!^)(?<![.:] )\b[A-Z][a-z]+ [A-Z][a-z]+")  # a name inside a sentence: "Paul Bettison"
_WHY = re.compile(r"\bwhy\b|\bimportan|\bbenefit|\bmatter", re.I)
_WHAT_IS = re.compile(
    r"^\s*(what\s+(is|are|does)|define|definition|meaning|explain|tell me about)\b|\bdefined\b|\bdefine\b", re.I
)


@dataclass
class Sentence:
    text: str  # as shown in the answer
    source: str  # the passage's own words this rests on
    doc_index: int
    score: float = 0.0
    is_list: bool = False
    also: tuple[int, ...] = ()  # further passages the sentence cites (a model statement's sources)
    is_statement: bool = False  # written from the maturity model's structure (ask/statements.py)
    intro: str = ""  # a list's lead-in ("The following thresholds apply:") ...
    items: tuple[str, ...] = ()  # ... and its items, each as written
    steps_up: bool = False  # a level descriptor shown with the level above it, the step a council takes next
    matched: str = ""  # the words the ranker reads when not the source: a step up's own descriptor

    @property
    def read(self) -> str:
        """What the ranker matches against the question (similarity, word overlap)."""
        return self.matched or self.source


@dataclass
class Draft:
    """An answer under construction: statements and the passages they cite."""

    docs: list[Document]
    lines: list[tuple[str, list[int]]] = field(default_factory=list)  # (text, indices into docs)

    def add(self, text: str, *doc_indices: int) -> None:
        self.lines.append((text, list(doc_indices)))

    def cite(self, line: int, also: Sentence) -> None:
        """Line ``line`` cites ``also``'s passages as well: the guidance says it in more than one place."""
        self.lines[line][1].extend(i for i in (also.doc_index, *also.also) if i not in self.lines[line][1])

    def documents(self, line: int) -> set[str]:
        """The documents line ``line`` cites."""
        return {self._document(i) for i in self.lines[line][1]}

    def documents_of(self, sentence: Sentence) -> set[str]:
        """The documents ``sentence``'s passages are from."""
        return {self._document(i) for i in (sentence.doc_index, *sentence.also)}

    def _document(self, index: int) -> str:
        return str(self.docs[index].metadata.get("document", ""))

    def replace(self, line: int, sentence: Sentence) -> None:
        """Line ``line`` says ``sentence`` instead (which holds its text), citing ``sentence``'s passages too."""
        self.lines[line] = (sentence.text, self.lines[line][1])
        self.cite(line, sentence)

    def render(self, related: bool = False) -> Answer:
        numbers: dict[int, int] = {}
        out_lines = []
        for text, indices in self.lines:
            for i in indices:
                numbers.setdefault(i, len(numbers) + 1)
            marks = "".join(f"[{n}]" for n in sorted(numbers[i] for i in indices))
            out_lines.append(f"{text} {marks}".rstrip())
        citations = [citation(self.docs[i], n, related=related) for i, n in numbers.items()]
        return Answer(_join(out_lines), citations)


def _join(lines: list[str]) -> str:
    if not lines:
        return ""
    head, rest = lines[0], lines[1:]
    return head + ("\n\n" + "\n".join(f"- {line}" for line in rest) if rest else "")


def citation(doc: Document, n: int, related: bool = False) -> Citation:
    return Citation.from_passage(doc.page_content, doc.metadata, n, related)


Extractive = tuple[str, list[Document], list[Sentence], np.ndarray]  # question, passages, candidates, sims


class GroundedComposer:
    """Answers from passages alone. ``find`` fetches structured passages by metadata."""

    mode = "grounded"

    def __init__(
        self,
        model: MaturityModel,
        embed: Any,
        find: Any,
        corpus_dir: Any,
        index: Any,
        min_coverage: float = 0.48,
        scope: Scope | None = None,
        ranker: Ranker | None = None,
        intent: Intent | None = None,
        linker: EntityLinker | None = None,
    ) -> None:
        self.model = model
        self.index = index  # () -> the store's current KeywordIndex (for inverse document frequencies)
        self.embed = embed.embed  # list[str] -> np.ndarray (normalised rows)
        self.embed_query = embed.embed_query
        self.find = find  # (filters) -> list[Document]
        self.glossary = glossary(corpus_dir)
        self.vocabulary = level_vocabulary(corpus_dir)
        # words a question means without writing them (language.meant_words), per question: the retrieve stage
        # searches for them and the ranker reads them, so they are worked out once
        self.meant = lru_cache(maxsize=1024)(
            lambda question: meant_words(question, self.model, self.glossary, self.vocabulary)
        )
        self.min_coverage = min_coverage  # the old hand-set rule, kept as the baseline when no scope model
        self.scope = scope  # fitted in-scope probability (corpus/fitted/scope.json)
        self.ranker = ranker  # fitted sentence ranker (corpus/fitted/ranker.json)
        self.intent = intent  # fitted intent classifier (corpus/fitted/intent.json)
        self._sentence_cache: LRUCache[np.ndarray] = LRUCache(20_000)  # sentence vectors (1.5 KB each)
        self.statements = StatementBook(model, find)
        self.linker = linker or EntityLinker(model)  # the themes a question names
        # the maturity model's own names, longest first: a line that is only these is a label (the strategy's
        # figure prints each key area on a line of its own), not a sentence that says something
        self.labels = tuple(sorted({*model.names, *model.levels}, key=len, reverse=True))

    # -- entry point -------------------------------------------------------------------
    def compose(self, turn: Turn) -> Answer:
        answer = self._structured(turn, self.legacy)
        return answer if answer is not None else self._extractive(turn)

    def _structured(self, turn: Turn, legacy: bool) -> Answer | None:
        """The answer from the maturity model's structure, if it gives one: as the old composer gives it
        when ``legacy``, else as the fitted composer does."""
        question = turn.asked
        area: Area | None = turn.area
        level: str | None = turn.level
        if self._names_another_document(question):
            return None  # the built-in model is the 2018 strategy's: a question about another year is not its
        if legacy:
            return (
                self._structure_list(question, area, turn.docs)
                or self._level_answer(question, area, level)
                or self._ladder_answer(question, area, level)
            )
        answer = self._level_answer(question, area, level) or self._ladder_answer(question, area, level)
        read = turn.docs[: _retrieved(turn.docs)]
        if answer is not None and any(self._detail_gaps(split_context(question)[0], read)):
            return None  # it asks about a name or figure the guidance never gives ("Birmingham's level"): the
            # extractive path weighs that (scope model) rather than answering with the model's descriptors
        return answer

    @property
    def legacy(self) -> bool:
        """No fitted ranker: the old hand-set sentence scoring and phrasing rules (the evaluation's baseline)."""
        return self.ranker is None

    def _extractive_inputs(self, turn: Turn) -> Extractive | None:
        """(question, passages, candidate sentences with the model statements, their similarities) for the
        fitted composer's extractive answer to ``turn``; None when it is answered from structure or nothing is
        a candidate. The fitted composer's, whether or not a ranker is set: fit and the evaluation read them
        to fit the ranker and the scope model, before there is one (the evaluation's first fold had learnt
        from the old composer's candidates and structured answers)."""
        return None if self._structured(turn, legacy=False) is not None else self._sentences_for(turn)

    def _sentences_for(self, turn: Turn) -> Extractive | None:
        question = turn.asked
        top, candidates, _ = self._prepare(turn, legacy=False)
        if not candidates:
            return None
        return question, top, candidates, self._similarities(question, candidates)

    def features(
        self, turn: Turn, intents: np.ndarray | None = None, probs: np.ndarray | None = None
    ) -> np.ndarray | None:
        """The in-scope features of an extractive answer for ``turn`` (None: answered from structure).
        ``intents`` stands in for ``turn.intents``, as in :meth:`ranked_candidates`; ``probs`` for
        the ranker's probabilities of its candidates (fit passes those of a ranker that did not learn from
        ``turn``)."""
        found = self._extractive_inputs(turn)
        return None if found is None else self._scope_row(turn, found, intents, probs)

    def in_scope_probability(self, turn: Turn) -> float:
        """The in-scope model's probability for the answer to ``turn`` (what the guard weighs against its topic
        classifier): 1.0 when it is answered from the maturity model's structure, in scope by construction;
        0.0 with no candidate sentence or no scope model."""
        if self.scope is None:
            return 0.0
        if self._structured(turn, self.legacy) is not None:
            return 1.0
        found = self._sentences_for(turn)
        return 0.0 if found is None else self.scope.probability(self._scope_row(turn, found))

    def _scope_row(
        self, turn: Turn, found: Extractive, intents: np.ndarray | None = None, probs: np.ndarray | None = None
    ) -> np.ndarray:
        question, top, candidates, sims = found
        intents = turn.intents if intents is None else intents
        if probs is None and self.ranker is not None:  # the ranker's probability that each candidate is an answer
            rows = self.candidate_features(question, top, candidates, sims, turn.area, intents)
            probs = self.ranker.answer_probabilities(rows)
        return self.scope_features(*found, retrieved=_retrieved(turn.docs), intents=intents, probs=probs)

    def scope_features(
        self,
        question: str,
        top: list[Document],
        candidates: list[Sentence],
        sims: np.ndarray,
        retrieved: int,
        intents: np.ndarray | None = None,
        probs: np.ndarray | None = None,
    ) -> np.ndarray:
        """What :class:`~assistant.learn.scope.Scope` reads (names in ``scope.FEATURES``): the retrieved
        passages (the first ``retrieved`` of ``top``) and their own sentences only, so neither the model
        statements nor the key area's help passages added for the ranker make a question look answered;
        and from ``probs``, the ranker's trees' probability that each candidate is a whole answer
        (``Ranker.answer_probabilities``), the highest."""
        if probs is not None and len(probs) != len(candidates):
            raise ValueError(f"{len(probs)} ranker probabilities for {len(candidates)} candidates")
        # a descriptor shown with the level above says no more about whether the guidance answers than the
        # descriptor alone: the retrieved sentences and the model's statements are what the scope model reads
        read = [i for i, c in enumerate(candidates) if not c.steps_up]
        best = float(probs[read].max()) if probs is not None and read else 0.0
        own = [i for i in read if not candidates[i].is_statement and candidates[i].doc_index < retrieved]
        # the sentence that would answer: the ranker's choice among them (the most similar without a ranker)
        rating = sims if probs is None else probs
        answering = candidates[own[int(np.argmax(rating[own]))]].text if own else ""
        candidates, sims = [candidates[i] for i in own], sims[own]
        top = top[:retrieved]
        ask, _ = split_context(question)
        wanted = set(content_terms(question))
        present = set(terms(" ".join(d.page_content for d in top)))
        idf = self.index().idf
        missing = [idf(t) for t in wanted if not _stem_present(t, present)]
        ranked = np.sort(sims)[::-1] if len(sims) else np.zeros(1)
        first = [float(x) for c, x in zip(candidates, sims, strict=True) if c.doc_index == 0]
        figures_missing, names_missing = self._detail_gaps(ask, top)
        # a question asking for a number whose answering sentence states none ("what share of contracts go to
        # SMEs?"), or only those the question gave itself ("how many councils took part in the spring 2017
        # assessment?"); a year counts nothing (scope.quantities)
        p_numeric = (self.intents(question) if intents is None else intents)[INTENTS.index("numeric")]
        best_holds_figure = bool(quantities(answering) - figures(question))
        return np.array(
            [
                self.coverage(question, top[:3]),
                self.coverage(question, top[:6]),
                max(missing, default=0.0),
                float(ranked[0]),
                float(ranked[:3].mean()),
                max(first, default=0.0),
                figures_missing,
                names_missing,
                float(p_numeric) * (not best_holds_figure),
                best,
            ]
        )

    def _detail_gaps(self, ask: str, docs: list[Document]) -> tuple[float, float]:
        """(figures, names) ``ask`` gives that none of ``docs`` holds. A passage holds what its glossary
        terms expand to, its document's title and the title's initials (the "NPS" of the "National
        Procurement Strategy"); the maturity model's level names are its own words, never a detail the
        guidance lacks ("between Minimum and Mature")."""
        text = " ".join(d.page_content for d in docs)
        titles = {name for d in docs for name in _title_names(d.metadata)}
        return detail_gaps(ask, " ".join([text, *self.glossary.expansions(text), *titles, *self.model.levels]))

    # -- structured answers ------------------------------------------------------------
    def _passage(self, **filters: str) -> Document | None:
        found = self.find(filters)
        return found[0] if found else None

    def _level_answer(self, question: str, area: Area | None, level: str | None) -> Answer | None:
        if area is None or level is None:
            return None
        doc = self._passage(key_area=area.name, level=level, kind="level")
        if doc is None:
            return None
        draft = Draft([doc])
        draft.add(f"At the {level} level of {area.name}, the strategy describes: “{area.levels[level]}”", 0)
        named = named_levels(question, self.model)
        if level in named and len(named) > 1:  # two levels named ("minimum compared with Mature"): both
            others = [(lv, f"At the {lv} level, it is: “{area.levels[lv]}”") for lv in named if lv != level]
        else:  # one level: it and the level above, the step a council would take next
            above = self.model.level_above(level)
            others = [(above, next_level_line(area, above))] if above else []
        for lv, line in others:
            nxt = self._passage(key_area=area.name, level=lv, kind="level")
            if nxt is not None:
                draft.docs.append(nxt)
                draft.add(line, len(draft.docs) - 1)
        return draft.render()

    def _ladder_answer(self, question: str, area: Area | None, level: str | None) -> Answer | None:
        if area is None or level is not None or not mentions_levels(question):
            return None
        docs = [self._passage(key_area=area.name, level=lv, kind="level") for lv in self.model.levels]
        if any(d is None for d in docs):
            return None
        draft = Draft([d for d in docs if d is not None])
        where = "an enabler" if area.is_enabler else f"a key area in the {area.theme} theme"
        draft.lines.append(
            (f"{area.name} is {where}; its {number_word(len(self.model.levels))} maturity levels are:", [])
        )
        for i, lv in enumerate(self.model.levels):
            draft.add(f"{lv}: {area.levels[lv]}", i)
        return draft.render()

    def _structure_list(self, question: str, area: Area | None, retrieved: list[Document]) -> Answer | None:
        q = question.lower()
        items: list[str] = []
        lead = ""
        if re.search(r"\bthemes?\b", q) and not area and re.search(r"\b(what|which|list|name|three)\b", q):
            items, lead = list(self.model.themes), f"The strategy's {number_word(len(self.model.themes))} themes are"
        elif (
            re.search(r"\benablers?\b", q)
            and re.search(r"\b(what|which|list|name|four)\b", q)
            and not (area and area.is_enabler)
        ):
            enablers = self.model.enablers
            items, lead = [a.name for a in enablers], f"The strategy's {number_word(len(enablers))} enablers are"
        elif re.search(r"\bkey areas?\b", q) and re.search(r"\b(what|which|list|name|ten)\b", q):
            theme = next((t for t in self.model.themes if t.lower() in q), None)
            if theme:
                items, lead = self.model.themes[theme], f"The key areas of the {theme} theme are"
            elif not area:
                items = [f"{t}: {', '.join(names)}" for t, names in self.model.themes.items()]
                lead = f"The strategy's {number_word(len(self.model.key_areas))} key areas, by theme, are"
        if not items:
            return None
        names = [i.split(":")[-1] for i in items]
        doc = self._listing_passage([n.split(",")[0].strip() for n in names], retrieved)
        if doc is None:
            return None
        draft = Draft([doc])
        if len(items) <= 4 and ":" not in items[0]:
            draft.add(f"{lead}: {and_list([i.lower() for i in items])}.", 0)
        else:
            draft.add(f"{lead}:", 0)
            for item in items:
                draft.lines.append((item, []))
        return draft.render()

    def _listing_passage(self, names: list[str], retrieved: list[Document]) -> Document | None:
        """The passage that lists all ``names``, so the list is cited where it is printed: the best
        ranked such passage for the question, else the shortest in the strategy."""
        for doc in retrieved:
            if all(normalise(n) in normalise(doc.page_content) for n in names):
                return doc
        best = None
        for doc in self.find({}):
            text = normalise(doc.page_content)
            fits = all(normalise(n) in text for n in names)
            if fits and (best is None or len(doc.page_content) < len(best.page_content)):
                best = doc
        return best

    # -- extractive answers ------------------------------------------------------------
    def _candidates(self, docs: list[Document]) -> tuple[list[Sentence], bool]:
        """Candidate sentences, and whether any passage held text addressed to the assistant."""
        out = []
        flagged = False
        for i, doc in enumerate(docs):
            meta = doc.metadata
            raw = doc.page_content.split("\n")
            # a paragraph that speaks to the assistant is never used, nor repeated as fact
            lines = [_MARKUP.sub("", ln).strip() for ln in raw if not addresses_assistant(ln)]
            flagged = flagged or len(lines) < len(raw)
            section = (meta.get("section") or "").strip()
            own_names = _self_names(meta)
            kept = [ln for ln in lines if ln and not is_header(ln) and ln != section]  # the heading is not repeated
            lines = _rejoined([_without_heading(ln, section) for ln in kept])
            banded, labels = row_bands(lines)
            for j, line in enumerate(lines):
                if (BULLET.match(line) and j and lines[j - 1].endswith(":")) or j in labels:
                    continue  # part of the list introduced by the line before, or a table row's band
                text = BULLET.sub("", line)
                # a level descriptor is one unit of the maturity model: quoted whole, never cut to a sentence
                whole = meta.get("kind") == "level" and strip_level_label(text, meta.get("level") or "") is not None
                before = ""
                for sent in [text] if whole else sentences(text):
                    # a sentence that points back ("... fully engaged in these roles") comes with the one before
                    leans = _leans_back(sent, naming=own_names)
                    source, before = (f"{before} {sent}" if before and leans else sent), sent
                    items = (
                        [BULLET.sub("", x).rstrip(".;") for x in _list_after(lines, j)] if sent.endswith(":") else []
                    )
                    if any(x.endswith(":") for x in items):
                        items = []  # items that introduce lists of their own are headings ("Notes to Editors:")
                    if items:  # a list intro: the items are the answer
                        source = f"{sent} {'; '.join(items)}."
                    if banded[j] and not bands(source):  # a table row's rule, under the band its row states
                        source = f"{banded[j]}: {source}"
                    shown = source
                    descriptor = strip_level_label(source, meta.get("level") or "")
                    if meta.get("kind") == "level" and descriptor is not None:
                        shown = f"At the {meta['level']} level of {meta['key_area']}: {descriptor}"
                    shown = _balance_quotes(strip_part_label(shown))
                    if self._says_something(shown):
                        out.append(Sentence(shown, source, i, is_list=bool(items), intro=sent, items=tuple(items)))
        return out, flagged

    def _says_something(self, shown: str) -> bool:
        """A candidate is a sentence, not a label: four words or more, mostly letters, more than the maturity
        model's names (the figure's "Managing contracts and relationships" line had led the answer to "what
        does good contract management look like?"), and neither a link's caption nor web addresses alone (the
        strategy's footnote links, five on lines of their own, had led the answer to "is it about compliance?")
        nor a press contact's numbers and email address ("(Telephone) 0870 ... / (Email) name@localis.org.uk"
        had followed the answer to "what did Localis say about insourcing?")."""
        words = re.findall(r"[A-Za-z]{2,}", _ADDRESS.sub(" ", shown))
        if len(words) < 4 or _LINKISH.match(shown) or len("".join(words)) <= 0.5 * len(shown):
            return False
        rest = strip_names(shown, self.labels)
        return bool(set(re.findall(r"[a-z]{2,}", rest)) - {"and", "or", "the"})

    def _vectors(self, items: list[Sentence]) -> np.ndarray:
        cache = self._sentence_cache  # shared by every session's thread
        known = {s.read: cache.get(s.read) for s in items}
        missing = [text for text, vec in known.items() if vec is None]
        if missing:
            for text, vec in zip(missing, self.embed(missing), strict=True):
                known[text] = vec
                cache.put(text, vec)
        return np.stack([known[s.read] for s in items])

    def coverage(self, question: str, docs: list[Document]) -> float:
        """IDF-weighted share of the question's content words found in the passages.

        An everyday word counts as found when the guidance term it stands for is there
        ("tiny" for "micro-business"). Rare words weigh most: a question about something
        the guidance never mentions ("Scottish", "standstill") scores low.
        """
        wanted = set(content_terms(question))
        if not wanted:
            return 1.0
        present = set(terms(" ".join(d.page_content for d in docs)))
        stand_ins = {
            t for term, phrase in self.glossary.matches(question) if set(terms(term)) & present for t in terms(phrase)
        }
        idf = self.index().idf  # one lookup of the index per answer, not per word
        weight = {t: idf(t) for t in wanted}
        return weighted_share(weight)(lambda t: t in stand_ins or _stem_present(t, present))

    def _extractive(self, turn: Turn) -> Answer:
        top, candidates, flagged = self._prepare(turn, self.legacy)
        answer = self._rank_and_write(turn.asked, top, candidates, turn.area, _retrieved(turn.docs))
        if flagged:
            answer.notice = HOSTILE_NOTICE
        return answer

    def _prepare(self, turn: Turn, legacy: bool) -> tuple[list[Document], list[Sentence], bool]:
        """(passages, candidate sentences, whether a passage spoke to the assistant) for ``turn``: its retrieved
        passages, its key area's help passages and the model statements about what it names; as the old
        composer reads them when ``legacy``."""
        question, area, level = turn.asked, turn.area, turn.level
        top = turn.docs[: _retrieved(turn.docs)]
        if area is not None:
            # what a linked key area is and why it matters: candidates for the ranker to weigh against the
            # question's intent (the old composer added them only when its phrasing rules said so)
            if legacy:
                kinds = ("why_important",) if _WHY.search(question) else ("what_it_is", "description")
                kinds = kinds if _WHAT_IS.search(question) or _WHY.search(question) else ()
            else:
                kinds = ("what_it_is", "description", "why_important")
            have = {d.metadata.get("id") for d in top}
            for kind in kinds:
                top += [d for d in self.find({"key_area": area.name, "kind": kind}) if d.metadata.get("id") not in have]
        candidates, flagged = self._candidates(top)
        if not legacy:
            candidates += self._steps_up(top, candidates, area)
        if not legacy and not self._names_another_document(question):
            top = list(top)
            for statement in self.statements.statements(top):
                if statement.about and statement.about not in (area and area.name, level):
                    continue  # where one key area belongs, or what one level is called, answers a question
                    # that names that key area or level ("the top rung" names Innovator)
                indices = []
                for doc in statement.docs:
                    if doc not in top:
                        top.append(doc)
                    indices.append(top.index(doc))
                candidates.append(
                    Sentence(
                        statement.text,
                        statement.text,
                        indices[0],
                        is_list=statement.is_list,
                        also=tuple(indices[1:]),
                        is_statement=True,
                    )
                )
        return top, candidates, flagged

    def intents(self, question: str) -> np.ndarray:
        """P(kind) of what ``question`` asks (the fitted intent classifier; every kind alike without one)."""
        if self.intent is None:
            return uniform()[0]
        asked = split_context(question)[0]
        return self.intent.probabilities(self.embed_query(asked), [asked])[0]

    def candidate_features(
        self,
        question: str,
        top: list[Document],
        candidates: list[Sentence],
        sims: np.ndarray,
        area: Area | None,
        intents: np.ndarray | None = None,
        covered: frozenset[str] = frozenset(),
    ) -> np.ndarray:
        """What :class:`~assistant.learn.ranker.Ranker` reads, one row per candidate (``ranker.FEATURES``).
        ``intents`` stands in for the classifier's own reading (fit passes out-of-fold probabilities);
        ``covered``: asked words the answer already holds, so the rest of the question is what is asked."""
        ask, context = split_context(question)
        asked = set(content_terms(ask + " " + " ".join(self.meant(question)))) - covered
        topic = set(content_terms(context)) | (set(terms(area.name)) if area else set())
        idf = self.index().idf
        w_asked = {t: idf(t) for t in asked}
        topic_share = weighted_share({t: idf(t) for t in topic})
        opening = list(dict.fromkeys(content_terms(ask)))
        themes = self.model.themes
        words = set(terms(ask))
        linked = self.linker.themes(ask)
        rows = []
        for cand, sim in zip(candidates, sims, strict=True):
            have = _term_set(cand.read)  # read again for each sentence the answer adds: worked out once
            meta = top[cand.doc_index].metadata
            kind = meta.get("kind")
            first = _term_set(" ".join(cand.source.split()[:6]))
            # the question's words that name this candidate's own document say where to look, not what is
            # asked ("what does PPN 02/25 require of ...": "PPN" matches every sentence of the note)
            own = _self_names(meta)
            mine = {t: w for t, w in w_asked.items() if t not in own} or w_asked
            wanted = set(mine)
            start = [t for t in opening if t not in own] or opening
            rows.append(
                [
                    float(sim),
                    weighted_share(mine)(have.__contains__),
                    float(bool(wanted) and wanted <= have),
                    topic_share(have.__contains__),
                    0.0 if cand.is_statement else 1 - min(cand.doc_index, 6) / 6,  # a statement's sources vary
                    float(area is not None and meta.get("key_area") == area.name),
                    float(cand.is_list),
                    *_counts_and_dates(cand.source),
                    float(cand.is_statement),
                    float(kind in ("what_it_is", "description")),
                    float(kind == "why_important"),
                    float(kind == "level"),
                    sum(1 for t in start if t in first) / (len(start) or 1),
                    float(bool(linked) and {t for t in themes if t.lower() in cand.source.lower()} == linked),
                    float(bool(_PERSON.search(cand.source))),
                    len(wanted & have) / (len(have) or 1),
                    len(words & _naming(meta)) / (len(words) or 1),
                    float(cand.steps_up),
                ]
            )
        candidate = np.array(rows).reshape(len(rows), len(CANDIDATE))
        return ranker_rows(candidate, self.intents(question) if intents is None else intents)

    def _names_another_document(self, question: str) -> bool:
        """The question names a year and not the maturity model's own ("the 5 enablers in NPS 2022")."""
        years = years_in(question)
        return bool(years) and not years & years_in(self.model.title)

    def _steps_up(self, top: list[Document], candidates: list[Sentence], area: Area | None) -> list[Sentence]:
        """Each descriptor of the linked key area or enabler (``area``) among ``candidates`` again, with the level
        above it as the structured level answer shows it ("The next level, Mature, is: ..."), that passage added
        to ``top``: a candidate the ranker weighs like any other ("we only ask for social value on big contracts:
        where does that put us?"). Without a linked area there are none: "what is the level above Mature called?"
        asks about the ladder, not about a step in one key area."""
        out: list[Sentence] = []
        if area is None:
            return out
        for cand in candidates:
            meta = top[cand.doc_index].metadata
            level = meta.get("level")
            if meta.get("kind") != "level" or meta.get("key_area") != area.name or level not in self.model.levels:
                continue
            above = self.model.level_above(level)
            doc = self._passage(key_area=area.name, level=above, kind="level") if above else None
            if above is None or doc is None:
                continue
            if doc not in top:
                top.append(doc)
            line = next_level_line(area, above)
            source = f"{cand.source} {area.levels[above]}"
            out.append(
                replace(
                    cand,
                    text=f"{cand.text} {line}",
                    source=source,
                    also=(top.index(doc),),
                    steps_up=True,
                    matched=cand.read,
                )
            )
        return out

    def ranked_candidates(
        self, turn: Turn, intents: np.ndarray | None = None
    ) -> tuple[list[Document], list[Sentence], np.ndarray] | None:
        """(passages, candidate sentences, ranker features) for an extractive answer to ``turn``. ``intents`` stands
        in for ``turn.intents`` (what retrieve read, or out-of-fold readings ``fit`` set), and both for the
        classifier's own reading of the question."""
        found = self._extractive_inputs(turn)
        if found is None:
            return None
        question, top, candidates, sims = found
        intents = turn.intents if intents is None else intents
        return top, candidates, self.candidate_features(question, top, candidates, sims, turn.area, intents)

    def _similarities(self, question: str, candidates: list[Sentence]) -> np.ndarray:
        query = " ".join(" ".join([question, *self.meant(question)]).split())
        return self._vectors(candidates) @ self.embed_query(query)

    def _rank_and_write(
        self, question: str, top: list[Document], candidates: list[Sentence], area: Area | None, retrieved: int
    ) -> Answer:
        if not candidates:
            return Answer(NOT_COVERED, [], True, category="not_covered")
        if self.ranker is not None:
            return self._fitted_answer(question, top, candidates, area, retrieved)
        sims = self._similarities(question, candidates)
        ask, context = split_context(question)
        wanted = set(content_terms(ask + " " + " ".join(self.glossary.expansions(question))))
        topic = set(content_terms(context)) | _named_phrase_terms(ask) | (set(terms(area.name)) if area else set())
        # what is asked about weighs more than the topic it is asked about
        idf = self.index().idf
        weight = {t: idf(t) * (0.35 if t in topic and wanted - topic else 1.0) for t in wanted | topic}
        lexical_share = weighted_share(weight)
        why, what = bool(_WHY.search(question)), bool(_WHAT_IS.search(question))
        wants_list = bool(_LIST_Q.search(question))
        subject = _subject(ask) if what else ""
        who, numeric, when = bool(_WHO.search(question)), bool(_NUMERIC.search(question)), bool(_WHEN.search(question))
        for cand, sim in zip(candidates, sims, strict=True):
            have = set(terms(cand.source))
            lexical = lexical_share(have.__contains__)
            kind = top[cand.doc_index].metadata.get("kind")
            prior = 0.06 * (1 - cand.doc_index / len(top))
            if (why and kind == "why_important") or (what and kind in ("what_it_is", "description")):
                prior += 0.08
            if area is not None and top[cand.doc_index].metadata.get("key_area") == area.name:
                prior += 0.10
            if (numeric and re.search(r"\d", cand.source)) or (when and re.search(r"\b(19|20)\d\d\b", cand.source)):
                prior += 0.08
            if subject and re.search(
                rf"\b{re.escape(subject)}s?\)?\s+(is|are|refers? to|means?)\b", normalise(cand.source)
            ):
                prior += 0.2  # a definition of exactly what was asked about
            if wants_list and cand.is_list:
                prior += 0.08
            if who and _PERSON.search(cand.source):
                prior += 0.06
            cand.score = 0.55 * float(sim) + 0.45 * lexical + prior
        ranked = sorted(candidates, key=lambda c: -c.score)
        if self.scope is not None:
            declined = not self.scope.in_scope(self.scope_features(question, top, candidates, sims, retrieved))
        else:
            declined = self.coverage(question, top[:3]) < self.min_coverage
        if declined:
            return self._not_covered(ranked[0], top)
        draft = Draft(top)
        best = ranked[0]
        draft.add(best.text, best.doc_index)
        chosen = [best]
        following = candidates.index(best) + 1
        if wants_list and not best.is_list and following < len(candidates):
            after = candidates[following]  # a list introduced right after the best sentence
            if after.is_list and after.doc_index == best.doc_index:
                draft.add(after.text, after.doc_index)
                chosen.append(after)
        for cand in ranked[1:]:
            if len(chosen) >= 3 or cand.score < 0.8 * best.score:
                break
            if any(_overlap(cand.source, c.source) > REPEAT for c in chosen):
                continue
            draft.add(cand.text, cand.doc_index)
            chosen.append(cand)
        return draft.render()

    def _fitted_answer(
        self, question: str, top: list[Document], candidates: list[Sentence], area: Area | None, retrieved: int
    ) -> Answer:
        """The fitted path: in scope or not (scope model), then the best sentence and any others the ranker
        rates more likely right than wrong, at most three, no two saying the same thing."""
        sims = self._similarities(question, candidates)
        intents = self.intents(question)  # read once: the ranker and the scope model both use them
        rows = self.candidate_features(question, top, candidates, sims, area, intents)
        probs = self.ranker.probabilities(rows)
        order = np.argsort(-probs)
        lead_is_statement = candidates[int(order[0])].is_statement and self.ranker.likely(probs[int(order[0])])
        if (
            self.scope is not None
            and not lead_is_statement  # the strategy's structure, from the model itself: in scope by construction
            and not self.scope.in_scope(
                self.scope_features(
                    question, top, candidates, sims, retrieved, intents, self.ranker.answer_probabilities(rows)
                )
            )
        ):
            nearest = next((candidates[i] for i in order if not candidates[i].is_statement), candidates[order[0]])
            return self._not_covered(nearest, top)
        ask = split_context(question)[0]
        dated = np.ones(len(candidates), dtype=bool)  # without a year in the question, every sentence is
        years = years_in(ask)
        if years:  # a question that names a year is answered from a passage of that year's document, or declined
            named = scope_names(ask)  # "NPS", "Localis": the document must name them too

            def matches(doc: Document) -> bool:
                return years <= _years_of(doc) and _holds_names(doc, named)

            dated = np.array([matches(top[c.doc_index]) for c in candidates])
            if not dated.any():
                return self._not_covered(candidates[int(order[0])], top)
        fitting = np.ones(len(candidates), dtype=bool)
        allowed = range(len(candidates))
        asked = amounts(ask)
        if asked:  # a sentence whose money band holds the asked amount goes before one whose band does not
            verdict = [fits(asked, c.source) for c in candidates]
            if any(v is True for v in verdict):
                fitting = np.array([v is True for v in verdict])
                allowed = [i for i, v in enumerate(verdict) if v is not False]
                candidates = [_band_items(c, asked) if v else c for c, v in zip(candidates, verdict, strict=True)]

        def precedence(i: int, rating: np.ndarray) -> tuple[bool, bool, float]:
            """The amount's band first, then the year's document, then the rating: for the lead and the rest."""
            return (not fitting[i], not dated[i], -float(rating[i]))

        order = sorted(allowed, key=lambda i: precedence(i, probs))
        lead = next((i for i in order if not _dangling(candidates[i], top)), order[0])
        draft = Draft(top)
        chosen: list[Sentence] = []
        words = 0
        pool = [lead, *(i for i in order if i != lead)]
        support = probs
        while pool and len(chosen) < 3:
            i = pool.pop(0)
            cand = candidates[i]
            if chosen and not self.ranker.likely(support[i]):
                break
            placed = _place(draft, chosen, cand, words)
            if placed is None:
                continue
            words = placed
            # the rest of the question: a sentence rates by what it adds to those chosen as well as by itself
            covered = frozenset().union(*(_term_set(c.source) for c in chosen))
            features = self.candidate_features(question, top, candidates, sims, area, intents, covered)
            support = np.maximum(probs, self.ranker.probabilities(features))
            pool.sort(key=lambda j: precedence(j, support))
        return draft.render()

    def _not_covered(self, nearest: Sentence, docs: list[Document]) -> Answer:
        draft = Draft(docs)
        draft.lines.append((NOT_COVERED, []))
        draft.add(f"The nearest related thing it does cover: {nearest.text}", nearest.doc_index)
        answer = draft.render(related=True)
        answer.refused = True
        answer.category = "not_covered"
        return answer


_CONTEXT = re.compile(r"\((?:following on from|about): (.*)\)\??$")
_SOURCE_CLAUSE = re.compile(
    r",?\s*\b(according to|in|from|by)\s+(the\s+)?(\d{4}\s+)?[^,?]*\b(report|update|article|"
    r"press release|strategy|page|guidance|study)\b[^?]*",
    re.I,
)
_PROPER = re.compile(r"(?<!^)\b([A-Z][a-zA-Z]+(?:\s+(?:[A-Z][a-zA-Z]+|of|and|for))*\s+[A-Z][a-zA-Z]+)")


_SUBJECT = re.compile(
    r"^\s*(?:what\s+(?:is|are|does)|define|explain|tell me about)\s+(?:an?\s+|the\s+)?(.+?)[?.!]*$", re.I
)


def next_level_line(area: Area, level: str) -> str:
    """How an answer shows the level above the one it describes."""
    return f"The next level, {level}, is: “{area.levels[level]}”"


def _stem_present(term: str, present: set[str]) -> bool:
    """``term`` or a close relative is present ("defin" for "definit"; not "stand" for "standstil")."""
    if term in present:
        return True
    if len(term) < 5:
        return False
    return any(len(p) >= 5 and _shared_prefix(term, p) >= max(5, 0.8 * min(len(term), len(p))) for p in present)


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _balance_quotes(text: str) -> str:
    """Drop a quote mark left open or closed by sentence splitting."""
    for open_mark, close_mark in (("“", "”"), ("‘", "’")):
        if text.count(open_mark) != text.count(close_mark):
            text = text.replace(open_mark, "") if text.count(open_mark) > text.count(close_mark) else text
    return text.strip()


_DEFINED = re.compile(
    r"how (?:is|are) (?:an? |the )?(.+?) defined|how does .*? define (?:an? |the )?(.+?)[?.!]*$", re.I
)


def _subject(question: str) -> str:
    """What a "what is X?" question asks about, normalised ("" when it is not that shape)."""
    match = _SUBJECT.match(question) or _DEFINED.search(question)
    subject = normalise(next((g for g in match.groups() if g), "")) if match else ""
    subject = re.sub(r"\s+(mean|stand for|in the strategy|in procurement)$", "", subject)
    subject = re.sub(r"(?<=[a-z]{3})s$", "", subject)  # "smes" -> "sme", matched with an optional s
    return subject if 0 < len(subject.split()) <= 6 else ""


def split_context(question: str) -> tuple[str, str]:
    """(what is asked, the topic it is asked about): follow-up context and source clauses are topic."""
    context = ""
    match = _CONTEXT.search(question)
    if match:
        context, question = match.group(1), question[: match.start()]
    clause = _SOURCE_CLAUSE.search(question)
    if clause and len(question) - len(clause.group(0)) > 12:
        context += " " + clause.group(0)
        question = question[: clause.start()] + question[clause.end() :]
    return question.strip(), context.strip()


def _named_phrase_terms(text: str) -> set[str]:
    return {t for phrase in _PROPER.findall(text.strip()) for t in content_terms(phrase)}


def _list_after(lines: list[str], j: int) -> list[str]:
    """The items after line ``j``: lines marked alike, all by a bullet or all by a number ("- ask bidders ...",
    "- exclude ...", then "5. An action plan must ..." is the document's next numbered paragraph, not an item)."""
    items: list[str] = []
    for line in lines[j + 1 : j + 9]:
        if _mark(line) is None or (items and _mark(line) != _mark(items[0])):
            break
        items.append(line)
    return items


def _mark(line: str) -> str | None:
    """How a list item is marked: "number", "bullet", or None for a line that is no item."""
    found = BULLET.match(line)
    return None if not found else "number" if found.group(0).strip()[0].isdigit() else "bullet"


def _without_heading(line: str, section: str) -> str:
    """A line that starts with its section's own heading ("Waivers A waiver of ...") without the heading."""
    heading = section.split(" › ")[-1].strip()
    if heading and line.startswith(heading + " ") and line[len(heading) + 1 : len(heading) + 2].isupper():
        return line[len(heading) + 1 :]
    return line


def _naming(meta: dict[str, Any]) -> frozenset[str]:
    """The words that name a passage's document: its title, publisher and date."""
    return _term_set(" ".join(str(meta.get(f) or "") for f in ("title", "publisher", "date")))


@lru_cache(maxsize=50_000)
def _counts_and_dates(text: str) -> tuple[float, float]:
    """Whether a sentence states a quantity and whether a year (the ranker's ``has_quantity``, ``has_year``):
    read once per sentence, as the ranker reads each candidate again for every sentence the answer adds."""
    return float(bool(quantities(text))), float(bool(years_in(text)))


@lru_cache(maxsize=50_000)
def _term_set(text: str) -> frozenset[str]:
    """The stemmed content words of a text, kept: the ranker reads each candidate's several times."""
    return frozenset(terms(text))


def _retrieved(docs: list[Document]) -> int:
    """How many of the retrieved passages an extractive answer reads: the first six."""
    return min(6, len(docs))


def _holds_names(doc: Document, named: set[str]) -> bool:
    """Every name (lower case) is in the passage or its title, or is the title's initials: "NPS 2018" is
    asked of the "National Procurement Strategy ... 2018", which never calls itself NPS."""
    title = str(doc.metadata.get("title") or "")
    text = f"{doc.page_content} {title}".lower()
    initials = {i.lower() for i in title_initials(title)}
    return all(n in text or n in initials for n in named)


def _years_of(doc: Document) -> set[str]:
    """The years a passage's text, its document's title or its date names."""
    meta = doc.metadata
    return years_in(" ".join([doc.page_content, str(meta.get("title") or ""), str(meta.get("date") or "")]))


# after an opening phrase of up to three words and a comma ("In other words, it is a living strategy.")
_DANGLING = re.compile(r"^(?:[A-Za-z]+(?: [A-Za-z]+){0,2}, )?(these|this|those|they|it|such|both|the above)\b", re.I)
_SELF = re.compile(r"^(?:this|these)\s+([A-Za-z]+)\b", re.I)  # "This PPN", "These Rules": maybe the document itself
_POINTS_BACK = re.compile(r"\b(?:these|those)\b(?! (?:who|which|that)\b)(?:\s+([A-Za-z]+))?", re.I)
_CLAUSE_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*\.?|\(?[a-z]\))\s+")  # "3.1 ", "2. ", "(a) ": a rule's number


def _rejoined(lines: list[str]) -> list[str]:
    """Paragraphs with a sentence cut by a page or column break ("The toolkit is for" | "guidance only
    as ...") joined again, so neither half is quoted as if it were a sentence."""
    out: list[str] = []
    for line in lines:
        if out and _UNFINISHED.search(out[-1]) and re.match(r"[a-z]+\b(?!:)", line) and "://" not in line[:12]:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _leans_back(sentence: str, is_list: bool = False, naming: frozenset[str] = frozenset()) -> bool:
    """The sentence opens with "This ..." or "In other words, it ...", or points back to "these roles" (a
    list's own lead-in, "these areas: a; b", points forward, not back). A document naming itself ("This PPN
    takes effect ...", "This strategy builds on ...", "exempt from these rules": a word of ``naming``, its own
    title's) points at nothing before; nor does a rule's number ("3.1 These Rules apply ...")."""
    sentence = _CLAUSE_NUMBER.sub("", sentence)
    own = _SELF.match(sentence)
    if own and _term_set(own.group(1)) & naming:
        sentence = sentence[own.end() :]
    elif _DANGLING.match(sentence):
        return True
    # "an exemption from these rules" in the Contract Procedure Rules names the rules themselves
    return not is_list and any(not _term_set(m.group(1) or "") & naming for m in _POINTS_BACK.finditer(sentence))


def _dangling(cand: Sentence, docs: list[Document]) -> bool:
    """A candidate whose first sentence leans on one not shown, so it cannot lead an answer."""
    first = next(iter(sentences(cand.text)), cand.text)
    return _leans_back(first, cand.is_list, _self_names(docs[cand.doc_index].metadata))


def _self_names(meta: dict[str, Any]) -> frozenset[str]:
    """The words a document calls itself by: those of its title, and the initials of each run of
    capitalised title words ("Procurement Policy Note" -> "PPN", "National Procurement Strategy" -> "NPS")."""
    return _term_set(" ".join(_title_names(meta)))


def _title_names(meta: dict[str, Any]) -> list[str]:
    """A document's title and the initials of each run of its capitalised title words."""
    title = str(meta.get("title") or "")
    return [title, *title_initials(title)]


def _overlap(a: str, b: str) -> float:
    ta, tb = _term_set(a), _term_set(b)
    return len(ta & tb) / max(1, min(len(ta), len(tb)))


def _band_items(cand: Sentence, asked: list[float]) -> Sentence:
    """A list of money bands cut to its lead-in and the items whose band holds the asked amount ("£10,001 to
    £50,000: three written quotes" for a £30,000 contract), not every band; other sentences as they are."""
    kept = [item for item in cand.items if fits(asked, item)]
    if not kept or len(kept) == len(cand.items):
        return cand
    source = f"{cand.intro} {'; '.join(kept)}."
    return replace(cand, text=_balance_quotes(strip_part_label(source)), source=source, items=tuple(kept))


def _place(draft: Draft, chosen: list[Sentence], cand: Sentence, words: int) -> int | None:
    """Put ``cand`` in the answer beside the ``chosen`` sentences (``words`` long so far) and give the answer's
    length after it, or None where it adds nothing: it repeats what is said (the line that says it cites
    its passage too), it is a second model statement that does not say more, or it would pass the word
    budget. A sentence that holds a chosen one and more ("Commercialisation is ... sector. This key area
    is confined to ...") is shown once, in that sentence's place."""
    own = _term_set(cand.source)
    if _repeats(own, chosen):
        shares = [_share_in(own, _term_set(c.source)) for c in chosen]
        k = max(range(len(shares)), key=shares.__getitem__)
        if shares[k] > REPEAT and draft.documents(k) >= draft.documents_of(cand):
            # one line says it: that line cites where its document says it again too. Not another document's
            # passage: "Five enablers support ...: ...; Commitment from the top" from an uploaded 2022 overview
            # had cited the 2018 strategy's four enablers, which say neither "five" nor "Commitment from the top"
            draft.cite(k, cand)
        return None
    if cand.is_statement and any(c.is_statement and not _says_more(cand, c) for c in chosen):
        return None  # each model statement is a whole answer about the structure; one is enough
    held = next((k for k, c in enumerate(chosen) if normalise(c.text) in normalise(cand.text)), None)
    extra = len(cand.text.split()) - (len(chosen[held].text.split()) if held is not None else 0)
    if chosen and words + extra > MAX_WORDS:
        return None  # an answer, not a passage: further sentences only within the word budget
    if held is None:
        draft.add(cand.text, cand.doc_index, *cand.also)
        chosen.append(cand)
    else:
        draft.replace(held, cand)
        chosen[held] = cand
    return words + extra


def _repeats(words: frozenset[str], chosen: list[Sentence]) -> bool:
    """Most of a sentence's ``words`` are in the sentences already chosen. Read one way only: a sentence that
    says a chosen one and more ("... priorities for the next four years: showing leadership; ...", after "The
    strategy's three themes are ...") may hold what is asked (how many years), so it is no repeat."""
    return _share_in(words, frozenset().union(*(_term_set(c.source) for c in chosen))) > REPEAT


def _share_in(words: frozenset[str], other: frozenset[str]) -> float:
    """The share of ``words`` that ``other`` holds."""
    return len(words & other) / max(1, len(words))


def _says_more(cand: Sentence, chosen: Sentence) -> bool:
    """``cand`` says all ``chosen`` says and more: of two model statements, "The ... theme has three key
    areas: ..." after "Obtaining social value is a key area in the ... theme" (the list the question asked for)."""
    return _term_set(chosen.source) < _term_set(cand.source)
