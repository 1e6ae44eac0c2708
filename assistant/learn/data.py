"""Labelled data for fitting: the dev sets in ``evals/data`` and, where it is beside the checkout,
the independent validation set. Read only by ``fit`` and the evaluation, never at run time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT

DEV = PROJECT_ROOT / "evals" / "data"
VALIDATION = PROJECT_ROOT.parent / "shared" / "validation"


def default_sets() -> list[Path]:
    """The dev sets, plus the validation set when it is there (it is not in a user's clone)."""
    return [DEV] + ([VALIDATION] if (VALIDATION / "questions.jsonl").exists() else [])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The rows of one JSON Lines file ([] when there is no such file)."""
    if not path.exists():
        return []
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path} line {number}: not valid JSON ({exc.msg})") from exc
    return rows


def read_items(dirs: list[Path], name: str) -> list[dict[str, Any]]:
    """Every item of ``name`` in every folder, tagged with its set (the folder's name)."""
    return [{**item, "_set": Path(folder).name} for folder in dirs for item in read_jsonl(Path(folder) / name)]
