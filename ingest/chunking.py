"""Structure-aware chunking: headings start passages, maturity tables become labelled passages.

A maturity table extracted from a PDF is a jumble of columns. Where a document carries a
structured maturity model (see ``corpus/manifest.yaml``), each key area's description, its
help text and each level descriptor become one passage that names key area, theme and level
in its text and metadata, so it retrieves on its own. Everything else is prose, split at
headings and packed into passages of about ``chunk_size`` characters at sentence ends.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from domain.labels import PART_LABELS, area_header, level_header, level_line, part_line
from domain.maturity import Area, MaturityModel
from domain.text import sentences
from ingest.loaders import Block


@dataclass
class Chunk:
    id: str
    text: str
    metadata: dict[str, object] = field(default_factory=dict)


# How documents mark list items: bullet characters (Word's symbol-font bullets arrive as private-use
# characters), a dash opening a line, and lettered or roman items, "(a)", "b)", "(iv)"
_BULLETS = re.compile(r"[•▪●◦‣\uf0b7\uf0a7]\s*|(?m:^\s*(?:[–—]|\((?:[a-z]|[ivx]{1,4})\)|[a-z]\))\s+)")


def repair(text: str) -> str:
    """Undo PDF extraction artefacts: hard line breaks, end-of-line hyphens, double spaces; every kind of
    list mark becomes "• ", so a list keeps its items on their own lines under its lead-in."""
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1-\2", text)
    text = _BULLETS.sub("• ", text)
    text = re.sub(r"\s*\n\s*(?=(?:[-*•]|\d{1,2}\.)\s)", "\x00", text)  # keep list items on their own lines
    text = re.sub(r"\s*\n\s*", " ", text).replace("\x00", "\n")
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def chunk_document(
    blocks: list[Block], *, document: str, chunk_size: int, model: MaturityModel | None = None
) -> list[Chunk]:
    """All passages of one document, in reading order, with stable content-derived ids."""
    prose_blocks, areas = _split_structured(blocks, model) if model else (blocks, [])
    chunks = _prose_chunks(prose_blocks, chunk_size)
    for area, page in areas:
        chunks.extend(area_passages(area, page))
    return _with_ids(chunks, document)


def area_passages(area: Area, page: int | None) -> list[Chunk]:
    """The labelled passages of one key area or enabler."""
    theme = None if area.is_enabler else area.theme
    header = area_header(area)
    base = {"page": page, "theme": theme or "", "key_area": area.name, "area_kind": area.kind}
    trail = " › ".join(p for p in (theme or "Enablers", area.name) if p)
    out: list[Chunk] = []
    for kind, body in (
        ("description", area.description),
        ("what_it_is", area.what_it_is),
        ("why_important", area.why_important),
    ):
        if body:
            meta = {**base, "kind": kind, "level": "", "section": f"{trail} › {PART_LABELS[kind]}"}
            out.append(Chunk("", f"{header}\n{part_line(kind, body)}", meta))
    total = len(area.levels)
    for position, (level, descriptor) in enumerate(area.levels.items(), start=1):
        text = f"{header}\n{level_header(level, position, total)}\n{level_line(level, descriptor)}"
        meta = {**base, "kind": "level", "level": level, "section": f"{trail} › {level}"}
        out.append(Chunk("", text, meta))
    return out


_KEY_AREA = re.compile(r"^\s*Key area:\s*(.+?)\s*$")


def _area_start(blocks: list[Block], i: int, model: MaturityModel) -> Area | None:
    first_line = blocks[i].text.strip().split("\n")[0]
    match = _KEY_AREA.match(first_line)
    if match:
        return model.area(match.group(1))
    area = model.area(first_line) if first_line[:1].isupper() and len(first_line) < 60 else None
    if area is not None and i + 1 < len(blocks) and blocks[i + 1].text.strip().startswith(model.levels[0]):
        return area  # an enabler: its name, then the row of level names
    return None


def _split_structured(blocks: list[Block], model: MaturityModel) -> tuple[list[Block], list[tuple[Area, int | None]]]:
    """Separate maturity-table regions (one area, until its page ends) from prose."""
    prose: list[Block] = []
    areas: list[tuple[Area, int | None]] = []
    current: Area | None = None
    page: int | None = None
    for i, block in enumerate(blocks):
        start = _area_start(blocks, i, model)
        if start is not None and all(start is not a for a, _ in areas):
            current, page = start, block.page
            areas.append((start, block.page))
            continue
        if current is not None and block.page == page:
            continue
        current = None
        prose.append(block)
    return prose, areas


_PAGE_FURNITURE = re.compile(r"^\d{1,4}\s{2,}\S.{0,100}$")  # "16    Running title" footers


def _prose_chunks(blocks: list[Block], chunk_size: int) -> list[Chunk]:
    chunks: list[Chunk] = []
    section = ""
    headings: list[tuple[str, int | None]] = []  # headings since the last passage, with their pages
    parts: list[str] = []
    page: int | None = None
    section_page: int | None = None

    def flush() -> None:
        body = "\n".join(dict.fromkeys(parts))  # PDF link annotations repeat lines
        if body:
            lead = [h for h, p in headings if p == page and not body.startswith(h)]
            text = "\n".join([*lead, body])
            chunks.append(Chunk("", text, {"page": page, "section": section, "kind": "prose"}))
            headings[:] = [(section, section_page)] if section else []
        parts.clear()

    for block in blocks:
        text = repair(block.text)
        if not text or _PAGE_FURNITURE.match(block.text.strip()):
            continue
        if block.heading:
            flush()
            if headings and headings[-1][0] == section and chunks and chunks[-1].metadata["section"] == section:
                headings.clear()  # the previous section already has its passage
            section, page = text, block.page
            section_page = page
            headings.append((text, block.page))
            continue
        if block.page != page and parts:
            flush()
        if not parts:
            page = block.page
        pieces = [text] if len(text) <= chunk_size else _pack(sentences(text), chunk_size)
        for piece in pieces:
            size = sum(len(p) + 1 for p in parts) + len(piece)
            # a list's items stay with its lead-in, up to twice the size ("justified for:" | "• emergencies")
            in_list = bool(parts) and piece.startswith("• ") and parts[-1].split("\n")[-1].endswith((":", ";"))
            if parts and size > chunk_size and not (in_list and size <= 2 * chunk_size):
                flush()
                page = block.page
            parts.append(piece)
    flush()
    return chunks


def _pack(sentences: list[str], size: int) -> list[str]:
    out: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + 1 + len(sentence) > size:
            out.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        out.append(current)
    return out


def _with_ids(chunks: list[Chunk], document: str) -> list[Chunk]:
    seen: dict[str, int] = {}
    for index, chunk in enumerate(chunks):
        digest = hashlib.sha1(f"{document}\n{chunk.text}".encode()).hexdigest()[:20]
        count = seen.get(digest, 0)
        seen[digest] = count + 1
        chunk.id = digest if count == 0 else f"{digest}-{count}"
        chunk.metadata = {
            "document": document,
            "chunk_index": index,
            "theme": "",
            "key_area": "",
            "level": "",
            **chunk.metadata,
        }
    return chunks
