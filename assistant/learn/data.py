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


def read_items(dirs: list[Path], name: str) -> list[dict[str, Any]]:
    """Every item of ``name`` in every folder, tagged with its set (the folder's name)."""
    items = []
    for folder in dirs:
        path = Path(folder) / name
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path} line {number}: not valid JSON ({exc.msg})") from exc
                items.append({**item, "_set": Path(folder).name})
    return items
