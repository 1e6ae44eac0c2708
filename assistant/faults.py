"""Faults outside our control (server gone, disk full, folder read-only) turned into plain messages.

Every layer that touches the disk or the Chroma server raises :class:`StoreError` with one of
these messages, so each surface shows the same clear sentence instead of a traceback.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Literal

Kind = Literal["unreachable", "read_only", "full", "other"]

ADVICE: dict[Kind, str] = {
    "unreachable": "Nothing stored has been lost. Check that the server is running; "
    "the assistant works again as soon as it is back.",
    "read_only": "Nothing stored has been changed. Make the folder writable, "
    "or set PA_DATA_DIR to a folder you can write to.",
    "full": "The change was not made and nothing stored has been lost. Free some disk space and try again.",
    "other": "Try again; if it keeps happening, report this message.",
}
WHAT: dict[Kind, str] = {
    "unreachable": "is not reachable",
    "read_only": "is read-only",
    "full": "is on a full disk",
    "other": "could not be used",
}


class StoreError(RuntimeError):
    """The store (or another data file) cannot be reached or written; the message says what to do."""

    def __init__(self, message: str, kind: Kind = "other") -> None:
        super().__init__(message)
        self.kind = kind


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    while exc is not None and exc not in out:
        out.append(exc)
        exc = exc.__cause__ or exc.__context__
    return out


def classify(exc: BaseException) -> Kind:
    """Which of the known faults an exception (or anything that caused it) is."""
    chain = _chain(exc)
    text = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    codes = {getattr(e, "errno", None) for e in chain}
    if errno.ENOSPC in codes or errno.EDQUOT in codes or "disk is full" in text or "no space left" in text:
        return "full"
    if (
        codes & {errno.EROFS, errno.EACCES, errno.EPERM}
        or any(isinstance(e, PermissionError) for e in chain)
        or "readonly" in text
        or "read-only" in text
    ):
        return "read_only"
    names = " ".join(type(e).__name__ for e in chain)
    if (
        any(isinstance(e, ConnectionError | TimeoutError) for e in chain)
        or any(n in names for n in ("ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError"))
        or "connection refused" in text
        or "could not connect" in text
    ):
        return "unreachable"
    return "other"


def explain(exc: BaseException, where: str, folder: Path | None = None) -> StoreError:
    """A StoreError whose message names the place, the fault and what to do about it.

    ``folder``: where the failed write was going; some libraries (SQLite) do not say why they
    could not open a file, so an unwritable folder is checked for directly.
    """
    kind = classify(exc)
    if kind == "other" and folder is not None and folder.exists() and not os.access(folder, os.W_OK):
        kind = "read_only"
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return StoreError(f"{where[:1].upper()}{where[1:]} {WHAT[kind]} ({detail}). {ADVICE[kind]}", kind)
