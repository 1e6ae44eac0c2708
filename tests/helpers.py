"""Real files for tests: PDFs built with fpdf2/pypdf, Word files with python-docx."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.apprunner import (
    CHROMIUM_ARGS,
    chromium_path,
    free_port,
    product_env,
    settled,
    start_app,
    wait_for_port,
)

__all__ = [
    "CHROMIUM_ARGS",
    "chromium_path",
    "free_port",
    "product_env",
    "settled",
    "start_app",
    "wait_for_port",
]


def make_pdf(path: Path, pages: list[str], title: str | None = None) -> Path:
    """A PDF with one page per text, and ``title`` in its metadata if given."""
    from fpdf import FPDF

    pdf = FPDF()
    if title is not None:
        pdf.set_title(title)
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(path))
    return path


def make_rules_pdf(path: Path) -> Path:
    """A council's contract rules as councils publish them: a running header and "Page n of m" footer,
    numbered sections and clauses with no blank lines between them, and a thresholds table."""
    from fpdf import FPDF

    class Rules(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, "Northshire County Council - Contract Procedure Rules (April 2024)", align="R")
            self.ln(8)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", "I", 8)
            self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Rules()
    pdf.alias_nb_pages()
    pdf.add_page()

    def text(body: str, bold: bool = False) -> None:
        pdf.set_font("Helvetica", "B" if bold else "", 12 if bold else 10)
        pdf.multi_cell(0, 6 if bold else 5, body)
        pdf.ln(1)

    text("1. Thresholds", bold=True)
    text(
        "1.1 The procedure depends on the total estimated value of the contract over its whole life, including "
        "any extensions, exclusive of VAT."
    )
    pdf.set_font("Helvetica", "", 10)
    with pdf.table(col_widths=(50, 130)) as table:
        for row in [
            ("Total contract value", "Procedure"),
            ("Up to £5,000", "One written quotation; a purchase order must be raised before the work starts."),
            ("£5,001 to £30,000", "At least three written quotations, invited through the e-tendering portal."),
            ("£30,001 to £214,904", "Open competitive tender advertised on Find a Tender and Contracts Finder."),
        ]:
            cells = table.row()
            for cell in row:
                cells.cell(cell)
    pdf.ln(3)
    text("1.2 Contracts must not be split to avoid a threshold (disaggregation).")
    text("2. Exemptions", bold=True)
    text(
        "2.1 An exemption from these Rules may be granted only by the Director of Finance (Section 151 Officer) "
        "after consulting the Head of Legal Services."
    )
    pdf.add_page()
    text("3. Late payment", bold=True)
    text(
        "3.1 Suppliers must pay their own subcontractors within 30 days, and this term must be written into "
        "every contract above £30,000."
    )
    pdf.output(str(path))
    return path


def make_encrypted_pdf(path: Path, text: str, password: str = "s3cret") -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = make_pdf(path.with_suffix(".plain.pdf"), [text])
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    plain.unlink()
    return path


def make_docx(path: Path, heading: str, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def run_cli(*args: str, check: bool = True, timeout: float = 180, input: str | None = None, **env: str):
    """Run ``python -m assistant ARGS`` in a fresh process with ``PA_*`` variables from ``env``."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        env=product_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
        input=input,
    )


class ChromaServer:
    """A real ``chroma run`` on loopback that a test can kill and start again on the same path and port."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        import shutil
        import sys

        self.path, self.port = path, port or free_port()
        self.command = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        self.proc = None

    def start(self) -> ChromaServer:
        import subprocess

        self.proc = subprocess.Popen(
            [self.command, "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for_port(self.port, 60):
            self.kill()
            raise RuntimeError("chroma server did not start")
        return self

    def kill(self) -> None:
        """SIGKILL: the server goes away without any goodbye, as a crashed host would."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)


@contextmanager
def small_disk(path: Path, size_mb: int) -> Iterator[Path]:
    """A real file system of ``size_mb`` (tmpfs) mounted at ``path``; skips where mounting is not allowed."""
    import subprocess

    import pytest

    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, mode: str) -> None:
    """Make a ``small_disk`` read-only (``ro``) or writable again (``rw``)."""
    import subprocess

    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True)


def fill_disk(path: Path, leave: int = 0) -> Path:
    """Fill the file system holding ``path`` with one file, leaving about ``leave`` bytes free."""
    import os

    filler = path / "filler.bin"
    chunk = b"\0" * 1_048_576
    with open(filler, "wb", buffering=0) as f:
        try:
            while f.write(chunk):
                pass
        except OSError:  # ENOSPC: the disk is full
            pass
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
    return filler
