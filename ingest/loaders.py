"""Turn a file into blocks of text (paragraphs and headings, with page numbers).

Every loader returns the same shape, so the chunker never cares where text came from.
Anything wrong with a file is raised as ``LoadError`` with a reason a person can act on.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from domain.amounts import bands

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")


class LoadError(Exception):
    """A file that cannot be read; the message says why, in plain words."""


@dataclass(frozen=True)
class Block:
    """A paragraph or heading. ``heading`` is 0 for body text, 1-6 for headings."""

    text: str
    page: int | None = None
    heading: int = 0
    line: int = 0  # first line in the source text (text formats only)


def load(path: Path, *, page_break: str | None = None, first_page: int = 1) -> list[Block]:
    """Read ``path`` into blocks. ``page_break`` marks PDF pages inside extracted text."""
    return load_document(path, page_break=page_break, first_page=first_page)[0]


def load_document(path: Path, *, page_break: str | None = None, first_page: int = 1) -> tuple[list[Block], str | None]:
    """``path``'s blocks (as :func:`load`), and what the file calls itself where its text does not say it: a PDF's
    title (:func:`_own_title`), read while the PDF is open; None for other formats, whose first heading does."""
    title = None
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type '{suffix or 'none'}' (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    if path.stat().st_size == 0:
        raise LoadError("the file is empty")
    if suffix == ".pdf":
        blocks, title = _load_pdf(path)
    elif suffix == ".docx":
        blocks = _load_docx(path)
    elif suffix in (".html", ".htm"):
        blocks = _load_html(read_text(path))
    else:
        blocks = text_blocks(read_text(path), page_break=page_break, first_page=first_page, markdown=suffix == ".md")
    if not any(b.text.strip() for b in blocks):
        raise LoadError("no extractable text (a scanned PDF needs OCR first)" if suffix == ".pdf" else "no text found")
    return blocks, title


def read_text(path: Path) -> str:
    """Decode text, accepting UTF-8 (with or without BOM) and falling back to Windows-1252."""
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise LoadError("the file looks binary, not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


_BULLET = re.compile(r"^\s*[•▪\-*]\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def text_blocks(
    text: str, *, page_break: str | None = None, first_page: int = 1, markdown: bool = False
) -> list[Block]:
    """Split plain text into paragraphs at blank lines, tracking pages by ``page_break``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    breaker = re.compile(page_break) if page_break else None
    page: int | None = first_page if breaker else None
    seen_first = False
    blocks: list[Block] = []
    para: list[str] = []
    para_start = 0

    def flush() -> None:
        if para:
            joined = "\n".join(para)
            blocks.append(Block(joined, page, _heading_level(joined, markdown), para_start))
            para.clear()

    for number, line in enumerate(text.split("\n")):
        if "\f" in line:  # form feed: the conventional page separator in extracted text
            flush()
            page = (page or first_page) + line.count("\f")
            line = line.replace("\f", "")
        if breaker and breaker.search(line):
            flush()
            if seen_first:
                page = (page or first_page) + 1
            seen_first = True
        if not line.strip():
            flush()
            continue
        if markdown and _MD_HEADING.match(line.strip()):
            flush()
            para_start = number
            para.append(line.strip())
            flush()
            continue
        if not para:
            para_start = number
        para.append(line)
    flush()
    return [Block(_strip_md(b.text) if markdown else b.text, b.page, b.heading, b.line) for b in blocks]


def _strip_md(text: str) -> str:
    match = _MD_HEADING.match(text)
    return match.group(2) if match else text


_CLAUSE_NUMBER = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.?|[A-Z]\.)\s+(?=\S)")  # "3.", "2.4", "A." before a clause


def _heading_level(text: str, markdown: bool, numbered: bool = False) -> int:
    """Guess whether a paragraph is a heading: short, one line, no closing punctuation. With ``numbered``
    (PDFs), a clause number before it is allowed ("3. Exemptions": contract rules and policy notes number
    their sections); the bundled text corpus is read without, as its passages were fitted."""
    stripped = text.strip()
    if markdown:
        match = _MD_HEADING.match(stripped)
        return len(match.group(1)) if match else 0
    if "\n" in stripped or len(stripped) > 80 or len(stripped) < 3:
        return 0
    if stripped[-1] in ".,;:!?)'\"’”" or _BULLET.match(stripped) or "http" in stripped:
        return 0
    name = _CLAUSE_NUMBER.sub("", stripped, count=1) if numbered else stripped
    if not name[:1].isupper() or name.split()[0].isdigit():
        return 0
    if bands(name):  # "Up to and including £1,000": a table row's or list's band, read with the lines under it
        return 0
    return 2


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_CLAUSE_START = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2}\.)\s+[A-Z£(‘“\"']")  # "2.3 Contracts", "3. Rules"


def _furniture(pages: list[list[str]]) -> set[str]:
    """Running headers and footers: a line among a page's first or last two that recurs (page numbers aside)
    on at least half of the pages, two or more."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        edge = {_shape(ln) for ln in [*lines[:2], *lines[-2:]] if ln.strip()}
        for line in edge:
            counts[line] = counts.get(line, 0) + 1
    return {line for line, n in counts.items() if n >= max(2, len(pages) / 2)}


def _shape(line: str) -> str:
    """A line with its numbers blanked: "Page 3 of 9" on every page is one running footer."""
    return re.sub(r"\d+", "#", line.strip())


def _paragraphs(lines: list[str], furniture: set[str]) -> str:
    """A PDF page's lines with a blank line where a paragraph ends. Extracted text has no blank lines, so
    a whole page would read as one paragraph: a paragraph ends after a short line that closes a sentence
    (shorter than three quarters of the page's full lines), and before a numbered clause or a heading."""
    end = len(lines) - 1
    edge = [i < 2 or i > end - 2 for i in range(len(lines))]  # where page numbers stand, not a table's "30"
    kept = [
        ln
        for ln, at_edge in zip(lines, edge, strict=True)
        if ln.strip() and not (at_edge and _PAGE_NUMBER.match(ln.strip())) and _shape(ln) not in furniture
    ]
    lengths = sorted(len(ln.strip()) for ln in kept)
    full = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    out: list[str] = []
    for line in kept:
        text = line.strip()
        if out:
            last = out[-1]
            ended = last[-1:] in ".!?" and len(last) < 0.75 * full
            starts = (_heading_level(text, False, numbered=True) or _CLAUSE_START.match(text)) and last[-1:] != ":"
            if ended or starts or _heading_level(last, False, numbered=True):
                out.append("")
        out.append(text)
    return "\n".join(out)


def _load_pdf(path: Path) -> tuple[list[Block], str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise LoadError("the PDF is password-protected")
            except LoadError:
                raise
            except Exception as exc:
                raise LoadError("the PDF is encrypted and cannot be opened") from exc
        if len(reader.pages) == 0:
            raise LoadError("the PDF has no pages")
        pages = [(page.extract_text() or "").split("\n") for page in reader.pages]
        furniture = _furniture(pages)
        blocks: list[Block] = []
        for number, lines in enumerate(pages, start=1):
            for b in text_blocks(_paragraphs(lines, furniture)):
                blocks.append(Block(b.text, number, b.heading or _heading_level(b.text, False, numbered=True)))
        return blocks, _own_title(reader, pages, furniture)
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise LoadError(f"the PDF is damaged or not a PDF ({type(exc).__name__})") from exc
    except Exception as exc:
        raise LoadError(f"the PDF could not be read ({type(exc).__name__})") from exc


# what an editor names a file, not what its author calls it ("Microsoft Word - CPR v3.docx", "PowerPoint Presentation")
_GENERIC_TITLE = re.compile(
    r"^(?:microsoft \w+ - |untitled\b|(?:document|presentation|slide|title)\s*\d*$|powerpoint presentation$)"
    r"|\.(?:docx?|pdf|odt|rtf|pptx?)$",
    re.I,
)


def _own_title(reader: Any, pages: list[list[str]], furniture: set[str]) -> str | None:
    """What a PDF calls itself: its metadata title, else its running header (a page's top line that the loader
    drops as page furniture, "Northshire County Council - Contract Procedure Rules (April 2024)"), three words or
    more. None if it has neither: the indexer then takes the first heading, in a council's rules often only
    "1. Thresholds"."""
    try:
        title = " ".join(str((reader.metadata or {}).get("/Title") or "").split())
    except Exception:  # damaged metadata: the text was read, the title is only a nicety
        title = ""
    if len(title.split()) >= 2 and not _GENERIC_TITLE.search(title):
        return title
    for line in (ln.strip() for lines in pages for ln in lines[:2]):
        if _shape(line) in furniture and len(re.findall(r"[A-Za-z]{2,}", line)) >= 3:
            return line
    return None


def _load_docx(path: Path) -> list[Block]:
    if not zipfile.is_zipfile(path):
        raise LoadError("not a Word (.docx) file: it is not a valid .docx package")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise LoadError(f"the Word file could not be read ({type(exc).__name__})") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[Block] = []
    for item in document.iter_inner_content():  # paragraphs and tables in reading order
        if isinstance(item, Table):  # a row per block, where the table stands (a thresholds table under its rule)
            for row in item.rows:
                cells = [c.text.strip() for c in row.cells if c.text.strip()]
                if cells:
                    blocks.append(Block(" | ".join(dict.fromkeys(cells)), None, 0))
            continue
        paragraph: Paragraph = item
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = 0
        if style.lower().startswith("heading"):
            digits = "".join(ch for ch in style if ch.isdigit())
            level = int(digits) if digits else 1
        elif style.lower() == "title":
            level = 1
        elif _is_list_item(paragraph, style):
            text = f"• {text}"  # Word numbers and bullets its lists outside the text: mark the item
        blocks.append(Block(text, None, level))
    return blocks


def _is_list_item(paragraph: Any, style: str) -> bool:
    """A Word list paragraph: a list style ("List Bullet", "List Number") or list numbering of its own."""
    properties = paragraph._p.pPr
    return style.lower().startswith("list") or (properties is not None and properties.numPr is not None)


def _load_html(html: str) -> list[Block]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "head", "nav", "footer"]):
        tag.decompose()
    blocks: list[Block] = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "blockquote", "pre"]):
        if element.name != "tr" and element.find_parent("tr"):
            continue  # a cell's paragraphs are read with their row
        if element.find("tr") or (element.name != "tr" and element.find(["p", "li", "h1", "h2", "h3"])):
            continue  # the inner elements carry the text
        if element.name == "tr":  # a table row is one block, its cells joined: "£5,001 to £30,000 | Three quotes"
            cells = [" ".join(c.get_text(" ", strip=True).split()) for c in element.find_all(["td", "th"])]
            text = " | ".join(c for c in cells if c)
        else:
            text = " ".join(element.get_text(" ", strip=True).split())
        if text:
            level = int(element.name[1]) if element.name[0] == "h" and element.name[1:].isdigit() else 0
            blocks.append(Block(f"• {text}" if element.name == "li" else text, None, level))  # an item stays one
    if not blocks:
        text = soup.get_text("\n")
        blocks = text_blocks(text)
    return blocks
