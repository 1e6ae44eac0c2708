"""The ``Assistant``: one object that holds the model, store and services for a process.

Surfaces (CLI, Streamlit, evals) call only this; it owns no logic of its own beyond wiring.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from langchain_core.documents import Document
from langchain_core.runnables import Runnable

from assistant.ask.compose import GroundedComposer, citation
from assistant.ask.guard import legacy_off_topic
from assistant.ask.language import EntityLinker, find_areas, glossary
from assistant.ask.llm import ModelComposer, make_chat_model
from assistant.ask.pipeline import build_pipeline, prepare, run, stream
from assistant.ask.verify import supporting_sentence
from assistant.assess import Assessor, AssessResult, evidence_for
from assistant.cache import LRUCache
from assistant.embeddings import Embedder, get_embedder
from assistant.faults import StoreError, explain
from assistant.feedback import FeedbackStore
from assistant.indexer import FileResult, Indexer, IngestReport, Progress, safe_filename
from assistant.learn import linear
from assistant.learn.assess_model import Evidence
from assistant.learn.fusion import Fusion
from assistant.learn.intent import Intent
from assistant.learn.ranker import Ranker
from assistant.learn.scope import Scope, names
from assistant.learn.topic import Topic
from assistant.plan import AreaTarget, Plan, Planner, Profile, load_profile
from assistant.retrieval import HybridRetriever, Mode, Searcher, where_clause
from assistant.settings import Settings, get_settings
from assistant.store import GuidanceStore
from assistant.train import Templates, Trainer, TrainingPack
from domain.constants import MEGABYTE
from domain.maturity import Area, MaturityModel, load_maturity_model
from domain.types import Answer, Citation
from ingest.loaders import SUPPORTED_SUFFIXES

T = TypeVar("T")


class Assistant:
    """Search, ask and assess over the guidance. Models and the store load once, lazily."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._passage_cache: LRUCache[list[Document]] = LRUCache(self.settings.passage_cache_size)

    # -- components (each built on first use) ------------------------------------------
    @cached_property
    def embedder(self) -> Embedder:
        return get_embedder(self.settings.embedding_model, self.settings.embedding_batch_size)

    @cached_property
    def store(self) -> GuidanceStore:
        return GuidanceStore(self.settings, self.embedder)

    @cached_property
    def indexer(self) -> Indexer:
        return Indexer(self.settings, self.store)

    @cached_property
    def searcher(self) -> Searcher:
        fusion = self._fitted("fusion.json", Fusion.from_dict)
        names = self.maturity_model.names
        # the composer's intent classifier, read when it is first needed (the composer reads this searcher's index)
        return Searcher(
            self.store,
            self.settings.candidates,
            self.settings.rrf_k,
            fusion,
            self.linker,
            names,
            intents=lambda query: self.grounded.intents(query),
        )

    @cached_property
    def linker(self) -> EntityLinker:
        """What a question names of the maturity model: read by the retrieval's fusion and the composer."""
        return EntityLinker(self.maturity_model)

    @cached_property
    def maturity_model(self) -> MaturityModel:
        return load_maturity_model(self.settings.corpus_dir / "nps2018_maturity.yaml")

    @cached_property
    def grounded(self) -> GroundedComposer:
        return GroundedComposer(
            self.maturity_model,
            self.embedder,
            self.passages,
            self.settings.corpus_dir,
            index=self.searcher.keyword_index,
            scope=self._fitted("scope.json", Scope.from_dict),
            ranker=self._fitted("ranker.json", Ranker.from_dict),
            intent=self._fitted("intent.json", Intent.from_dict),
            linker=self.linker,
        )

    @cached_property
    def topic(self) -> Topic | None:
        """The fitted topic model the guard asks whether a question is about procurement at all."""
        return self._fitted("topic.json", Topic.from_dict)

    def off_topic(self, question: str, previous: str = "") -> str | None:
        """The off-topic class of ``question`` ("council_service" ...), None when it is about procurement.
        A follow-up is read in its conversation too (``previous``: the user's last question), so "and
        when is it?" after a procurement question is not small talk. Where the classifier's reading alone
        does not settle it, the store is asked how surely it answers (:class:`Topic`): an uploaded
        council's rules make their own subjects procurement."""
        if self.topic is None:
            return legacy_off_topic(question)  # the old phrasing rules until `fit` has run
        if glossary(self.settings.corpus_dir).found_in(question) or find_areas(question, self.maturity_model):
            return None  # it names the guidance's own terms ("What are TOMs?"): a question for the guidance
        if set(re.findall(r"\b[A-Z]{3,}\b", question)) & self.searcher.keyword_index().acronyms:
            return None  # it names an indexed document by its initials ("who do I contact about the payment PPN?")
        kind = self.topic.off_topic(self.embedder.embed_query(question), lambda: self.in_scope_probability(question))
        if kind == "named_council_prices" and all(self.searcher.keyword_index().holds(n) for n in names(question)):
            return None  # no council named that the guidance does not know ("councils spend ... Localis says")
        if kind and previous and self.topic.off_topic(self.embedder.embed_query(f"{previous} {question}")) is None:
            return None
        return kind

    def in_scope_probability(self, question: str) -> float:
        """How surely the store answers ``question`` on its own (:meth:`GroundedComposer.in_scope_probability`)."""
        if self.grounded.scope is None:
            return 0.0  # no scope model: nothing to search for
        turn = prepare(self, question, guarded=False)
        return self.grounded.in_scope_probability(turn) if turn is not None else 0.0

    def _fitted(self, name: str, load: Callable[[dict], T]) -> T | None:
        """A fitted part from ``fitted_dir``; without one (or one fitted on other features, until the next
        ``fit``) the composer falls back to its hand-set rules and says so in the log."""
        data = linear.load(self.fitted_dir / name)
        try:
            return load(data) if data else None
        except ValueError as exc:
            logging.getLogger(__name__).warning("%s; using the hand-set rule meanwhile", exc)
            return None

    @cached_property
    def composer(self) -> GroundedComposer | ModelComposer:
        """The grounded composer, or a language model over it when one is configured."""
        chat_model = make_chat_model(self.settings)
        return ModelComposer(chat_model, self.grounded) if chat_model is not None else self.grounded

    @property
    def mode(self) -> str:
        return self.composer.mode

    @cached_property
    def pipeline(self) -> Runnable:
        return build_pipeline(self, self.composer, self.grounded)

    @cached_property
    def assessor_evidence(self) -> Evidence:
        return evidence_for(self.maturity_model, self.embedder.embed, self.settings.corpus_dir / "maturity_cues.yaml")

    @cached_property
    def assessor(self) -> Assessor:
        corpus = self.settings.corpus_dir
        return Assessor(
            self.assessor_evidence, corpus / "maturity_cues.yaml", self.cite, self.fitted_dir / "assess.json"
        )

    @property
    def fitted_dir(self) -> Path:
        """Parameters of the learned parts (``procurement-assistant fit`` writes them)."""
        return self.settings.corpus_dir / "fitted"

    def fit(self, data_dirs: list[Path] | None = None) -> dict:
        """Refit every learned part on labelled sets and save its parameters under ``fitted_dir``. The bundled
        corpus is brought up to date first, as the app and the eval do: a corpus file changed since the last
        ingest (the maturity model's aliases, a document) would otherwise be fitted on as it was."""
        from assistant.fit import fit_all
        from assistant.learn.data import default_sets

        self.ensure_corpus()
        report = fit_all(self, data_dirs or default_sets(), self.fitted_dir)
        for part in ("assessor", "grounded", "composer", "pipeline", "topic"):
            self.__dict__.pop(part, None)
        return report

    @cached_property
    def feedback(self) -> FeedbackStore:
        return FeedbackStore(self.settings.data_dir / "feedback.sqlite3")

    @cached_property
    def planner(self) -> Planner:
        return Planner(self.maturity_model, self.settings.corpus_dir / "planning.yaml", self.cite)

    @cached_property
    def trainer(self) -> Trainer:
        return Trainer(self.maturity_model, self.cite, Templates.read(self.settings.corpus_dir / "training.yaml"))

    def cite(self, area: Area | str, level: str | None, kind: str = "level", n: int = 1) -> Citation | None:
        """The citation for a key area's level descriptor (or its description / help text)."""
        name = area if isinstance(area, str) else area.name
        filters = {"key_area": name, "kind": kind, **({"level": level} if level else {})}
        found = self.passages(filters)
        return citation(found[0], n) if found else None

    def plan(self, profile: Profile | Path | str | dict) -> Plan:
        """Profile (current vs target per area), gaps and cited draft objectives."""
        if not isinstance(profile, Profile):
            profile = load_profile(profile, self.maturity_model)
        return self.planner.plan(profile)

    def suggest_profile(self, practices: dict[str, str], targets: dict[str, str] | None = None) -> Profile:
        """A profile whose current levels are assessed from practice descriptions, one per area."""
        profile = Profile()
        for name, text in practices.items():
            res = self.assess(text, key_area=name)
            profile.areas.append(
                AreaTarget(
                    res.key_area or name,
                    res.level or self.maturity_model.levels[0],
                    (targets or {}).get(name, ""),
                    text,
                )
            )
        return profile

    def training_topics(self) -> list[str]:
        """Topics a training pack can be made for: the themes, the enablers and each key area."""
        return self.trainer.topics()

    upload_types = SUPPORTED_SUFFIXES  # file types ingest reads (".pdf", ".docx", ...)

    @property
    def corpus_version(self) -> str:
        """The bundled corpus's version (its manifest)."""
        return self.indexer.manifest.version

    def terms_in(self, text: str) -> list[dict]:
        """Glossary entries (term, meaning) for the acronyms and terms used in ``text``."""
        return glossary(self.settings.corpus_dir).found_in(text)

    @staticmethod
    def supporting_sentence(answer: Answer, n: int) -> str | None:
        """The sentence of citation ``n``'s passage that best supports what the answer says with [n]."""
        return supporting_sentence(answer, n)

    def training_pack(self, topic: str, audience: str = "councillors", minutes: int = 45) -> TrainingPack:
        return self.trainer.pack(topic, audience, minutes)

    def assess(self, practice: str, key_area: str | None = None) -> AssessResult:
        """Key area, level, confidence and cited rationale for a described practice."""
        return self.assessor.assess(practice, key_area)

    def assess_all(self, practice: str) -> list[AssessResult]:
        """One result per key area a description covers (one, when it covers one)."""
        return self.assessor.assess_all(practice)

    # -- ask -----------------------------------------------------------------------------
    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
        """A short cited answer, or a clear refusal; never raises on odd input."""
        return run(self.pipeline, question, history)

    def ask_stream(self, question: str, history: list[dict[str, str]] | None = None) -> Iterator[str | Answer]:
        """Text as it is written (token by token with a model), then the verified Answer."""
        return stream(self, question, history)

    def passages(self, filters: dict[str, str]) -> list[Document]:
        """Passages by metadata (``{}`` = the maturity-model document), cached per store generation."""
        filters = filters or {"document": self.maturity_model.source}
        key = (self.store.generation(), tuple(sorted(filters.items())))
        found = self._passage_cache.get(key)
        if found is None:
            found = [
                Document(page_content=t, metadata={**m, "id": i}, id=i)
                for i, t, m in self.store.rows(where_clause(filters))
            ]
            self._passage_cache.put(key, found)
        return found

    # -- foundation ----------------------------------------------------------------------
    def ingest(self, paths: Sequence[str | Path] | None = None, progress: Progress | None = None) -> IngestReport:
        """Index the bundled corpus (no paths) or the given files and folders."""
        return self.indexer.ingest([Path(p) for p in paths] if paths else None, progress)

    def ensure_corpus(self) -> IngestReport:
        """Bring the bundled corpus up to date: all of it on first run, and after an upgrade any file
        whose text, metadata or chunking changed (unchanged files cost one metadata read each)."""
        return self.ingest()

    def add_upload(self, filename: str, data: bytes, progress: Progress | None = None) -> FileResult:
        """Save an uploaded file under the data folder (safe name, allowed type, size limit) and index it."""
        name = safe_filename(filename)
        if not name or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            return FileResult(name or "upload", "failed", 0, "unsupported file type (use PDF, Word, text or HTML)")
        if len(data) > self.settings.max_file_mb * MEGABYTE:
            return FileResult(name, "failed", 0, f"file is over the {self.settings.max_file_mb:g} MB limit")
        folder = self.settings.data_dir / "uploads"
        target = folder / name
        partial, previous = target.with_name(name + ".part"), target.with_name(name + ".previous")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(data)
            if target.exists():  # a new version of an earlier upload: keep the old one until this one is in
                target.replace(previous)
            partial.replace(target)  # never a half-written file under the real name
        except OSError as exc:
            _discard(partial)
            if previous.exists() and not target.exists():
                previous.replace(target)
            return FileResult(name, "failed", 0, str(explain(exc, f"the uploads folder {folder}")))
        try:
            result = self.ingest([target], progress).files[0]
        except StoreError as exc:  # the store refused the write: keep neither the file nor any of its chunks
            result = FileResult(name, "failed", 0, str(exc))
        if result.status == "failed":
            _discard(target)
            if previous.exists():
                previous.replace(target)
        else:
            _discard(previous)
        return result

    def remove(self, document: str) -> FileResult:
        result = self.indexer.remove(document)
        upload = self.settings.data_dir / "uploads" / safe_filename(document)
        if result.status == "removed" and upload.is_file():
            upload.unlink()
        return result

    def chunks(self, document: str) -> list[Document]:
        """The passages of one document in reading order (for inspection)."""
        rows = [
            Document(page_content=t, metadata={**m, "id": i}) for i, t, m in self.store.rows({"document": document})
        ]
        return sorted(rows, key=lambda d: d.metadata.get("chunk_index", 0))

    def search(
        self, query: str, k: int = 5, *, mode: Mode = "hybrid", filters: dict[str, str] | None = None, **filter_kw: str
    ) -> list[Document]:
        """Ranked passages, best first; filter by document, theme, key_area, level or kind."""
        return self.searcher.search(query, k, mode=mode, filters={**(filters or {}), **filter_kw})

    def retriever(self, k: int = 5, mode: Mode = "hybrid", filters: dict[str, str] | None = None) -> HybridRetriever:
        return HybridRetriever(searcher=self.searcher, k=k, mode=mode, filters=filters)

    def documents(self) -> list[dict]:
        """One row per indexed document: title, pages, chunks, when indexed."""
        docs: dict[str, dict] = {}
        for _, _, meta in self.store.rows(with_text=False):
            row = docs.setdefault(
                meta["document"],
                {
                    "document": meta["document"],
                    "title": meta.get("title"),
                    "publisher": meta.get("publisher") or "",
                    "date": meta.get("date") or "",
                    "kind": meta.get("doc_kind"),
                    "bundled": bool(meta.get("source_file")),
                    "chunks": 0,
                    "pages": set(),
                    "indexed_at": meta.get("indexed_at"),
                },
            )
            row["chunks"] += 1
            if meta.get("page"):
                row["pages"].add(meta["page"])
        out = []
        for row in sorted(docs.values(), key=lambda r: r["document"]):
            pages = sorted(row.pop("pages"))
            row["pages"] = f"{pages[0]}–{pages[-1]}" if pages else None
            out.append(row)
        return out

    def stats(self) -> dict:
        docs = self.documents()
        return {
            "documents": len(docs),
            "chunks": sum(d["chunks"] for d in docs),
            "store": self.settings.chroma_host or str(self.settings.chroma_path),
            "embedding_model": self.settings.embedding_model,
            "items": docs,
        }


def _discard(path: Path) -> None:
    """Remove a file we wrote, if we can (on a read-only disk there is nothing to remove)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
