"""Put documents into the store: load, chunk, embed, write; skip what has not changed.

A file's chunks carry a fingerprint of its bytes, its metadata and the chunker version.
New chunks are written before old ones are deleted, so a store interrupted at any point is
still readable, and the next ingest sees the mixed fingerprints and completes the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.faults import StoreError
from assistant.settings import Settings
from assistant.store import GuidanceStore
from domain.constants import MEGABYTE
from domain.maturity import MaturityModel, load_maturity_model
from ingest.chunking import chunk_document
from ingest.loaders import SUPPORTED_SUFFIXES, Block, LoadError, load_document

CHUNKER_VERSION = "6"  # 6: a line stating a money band is no heading; 5: PDF paragraphs, lists with their lead-in

Progress = Callable[[int, int, str], None]  # (files done, files total, current file name)


@dataclass
class FileResult:
    document: str
    status: str  # added | updated | unchanged | failed | removed
    chunks: int = 0
    reason: str = ""


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def chunks_written(self) -> int:
        return sum(f.chunks for f in self.files if f.status in ("added", "updated"))

    def summary(self) -> str:
        return (
            f"{self.count('added')} added, {self.count('updated')} updated, {self.count('unchanged')} unchanged, "
            f"{self.count('failed')} failed; {self.chunks_written} chunks written in {self.seconds:.1f}s"
        )

    def as_dict(self) -> dict:
        return {
            "added": self.count("added"),
            "updated": self.count("updated"),
            "unchanged": self.count("unchanged"),
            "failed": self.count("failed"),
            "chunks_written": self.chunks_written,
            "seconds": round(self.seconds, 2),
            "files": [f.__dict__ for f in self.files],
        }


@dataclass(frozen=True)
class Manifest:
    """Metadata of the bundled corpus, keyed by file name."""

    version: str
    entries: dict[str, dict]
    folder: Path

    @classmethod
    def read(cls, corpus_dir: Path) -> Manifest:
        path = corpus_dir / "manifest.yaml"
        if not path.exists():
            return cls("", {}, corpus_dir)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls(str(data.get("version", "")), {d["file"]: d for d in data.get("documents", [])}, corpus_dir)

    def files(self) -> list[Path]:
        return [self.folder / name for name in self.entries]

    def maturity_model(self, name: str) -> MaturityModel | None:
        entry = self.entries.get(name, {})
        return load_maturity_model(self.folder / entry["maturity_model"]) if entry.get("maturity_model") else None


def safe_filename(name: str) -> str:
    """A bare file name: no folders, no '..', no control characters (uploads never escape their folder)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = re.sub(r"[^\w.\- ()]", "_", base).strip(" .")
    return base[:120]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, plus supported files found in named folders."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            out.append(path)
    return out


class Indexer:
    def __init__(self, settings: Settings, store: GuidanceStore) -> None:
        self.settings = settings
        self.store = store
        self.manifest = Manifest.read(settings.corpus_dir)

    def ingest(self, paths: list[Path] | None = None, progress: Progress | None = None) -> IngestReport:
        started = time.perf_counter()
        files = self.manifest.files() if not paths else expand(paths)
        report = IngestReport()
        for done, path in enumerate(files):
            if progress:
                progress(done, len(files), path.name)
            report.files.append(self._ingest_file(path))
        if progress:
            progress(len(files), len(files), "")
        if report.count("added") or report.count("updated"):
            self.store.bump_generation()
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, document: str) -> FileResult:
        ids = [i for i, _, _ in self.store.rows({"document": document}, with_text=False)]
        if not ids:
            return FileResult(document, "failed", 0, "no such document in the store")
        self.store.delete(ids)
        self.store.bump_generation()
        return FileResult(document, "removed", len(ids))

    # ------------------------------------------------------------------------------------
    def _ingest_file(self, path: Path) -> FileResult:
        name = path.name
        try:
            if not path.exists() or not path.is_file():
                raise LoadError("file not found")
            size_mb = path.stat().st_size / MEGABYTE
            if size_mb > self.settings.max_file_mb:
                raise LoadError(f"file is {size_mb:.1f} MB, over the {self.settings.max_file_mb:g} MB limit")
            entry = self.manifest.entries.get(name) if path.parent.resolve() == self.manifest.folder.resolve() else None
            fingerprint = self._fingerprint(path, entry)
            existing = {i: m for i, _, m in self.store.rows({"document": name}, with_text=False)}
            if existing and all(
                m.get("file_hash") == fingerprint and m.get("chunk_count") == len(existing) for m in existing.values()
            ):
                return FileResult(name, "unchanged", len(existing))
            blocks, own_title = load_document(
                path,
                page_break=(entry or {}).get("page_break"),
                first_page=int((entry or {}).get("first_page", 1)),
            )
            model = self.manifest.maturity_model(name) if entry else None
            chunks = chunk_document(blocks, document=name, chunk_size=self.settings.chunk_size, model=model)
            if not chunks:
                raise LoadError("no text found")
            base = {
                "title": (entry or {}).get("title") or own_title or _guess_title(blocks, path),
                "source_file": name if entry else "",
                "publisher": (entry or {}).get("publisher", ""),
                "date": str((entry or {}).get("date", "")),
                "doc_kind": (entry or {}).get("kind", "uploaded"),
                "file_hash": fingerprint,
                "chunk_count": len(chunks),
                "indexed_at": time.strftime("%Y-%m-%d %H:%M:%S"),
            }
            try:
                self.store.upsert(
                    [c.id for c in chunks], [c.text for c in chunks], [{**base, **c.metadata} for c in chunks]
                )
            except StoreError:
                self._forget([c.id for c in chunks if c.id not in existing])
                raise
            stale = [i for i in existing if i not in {c.id for c in chunks}]
            self.store.delete(stale)
            return FileResult(name, "updated" if existing else "added", len(chunks))
        except LoadError as exc:
            return FileResult(name, "failed", 0, str(exc))
        except StoreError:
            raise
        except (OSError, ValueError) as exc:
            return FileResult(name, "failed", 0, f"could not read the file ({type(exc).__name__}: {exc})")

    def _forget(self, ids: list[str]) -> None:
        """Best effort after a failed write: drop chunks of a file that was never completely written.

        If even this fails (the server is gone, the disk is full) the chunks carry a fingerprint
        that does not match, so the next ingest completes or replaces them.
        """
        with contextlib.suppress(StoreError):
            self.store.delete(ids)

    def _fingerprint(self, path: Path, entry: dict | None) -> str:
        digest = hashlib.sha256(path.read_bytes())
        extra = {"chunker": CHUNKER_VERSION, "chunk_size": self.settings.chunk_size, "entry": entry or {}}
        if entry and entry.get("maturity_model"):
            extra["model"] = (self.manifest.folder / entry["maturity_model"]).read_text(encoding="utf-8")
        digest.update(json.dumps(extra, sort_keys=True).encode())
        return digest.hexdigest()[:32]


def _guess_title(blocks: list[Block], path: Path) -> str:
    """Where the file does not name itself (``load_document``'s title): its first short heading, else its file
    name. The answer's citations show it, and the composer reads its words as the document naming itself
    ("these Rules", "this PPN")."""
    for block in blocks[:5]:
        if block.heading and len(block.text) < 120:
            return " ".join(block.text.split())
    return path.stem.replace("_", " ").replace("-", " ").strip() or path.name
