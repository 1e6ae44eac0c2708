"""Thumbs up/down on answers, with an optional comment, kept in SQLite beside the store."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from assistant.faults import explain

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT ''
)
"""


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One transaction with the table in place; a fault becomes a StoreError with a plain message."""
        try:
            if not self._ready:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
                    db.execute(SCHEMA)
                self._ready = True
            with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
                db.row_factory = sqlite3.Row
                yield db
        except (OSError, sqlite3.DatabaseError) as exc:
            raise explain(exc, f"the feedback file {self.path}", self.path.parent) from exc

    def record(self, question: str, answer: str, rating: int, comment: str = "") -> int:
        if rating not in (-1, 1):
            raise ValueError("rating is 1 (helpful) or -1 (not helpful)")
        with self._db() as db:
            cur = db.execute(
                "INSERT INTO feedback (created, question, answer, rating, comment) VALUES (?, ?, ?, ?, ?)",
                (time.strftime("%Y-%m-%d %H:%M:%S"), question[:4000], answer[:8000], rating, comment[:2000]),
            )
            return int(cur.lastrowid)

    def all(self, limit: int = 500) -> list[dict]:
        with self._db() as db:
            rows = db.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]
