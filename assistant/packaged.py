"""Find model files shipped inside installed Python packages (no hub downloads, ever)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def package_dir(name: str) -> Path | None:
    """The folder of an installed package given its distribution or import name."""
    spec = importlib.util.find_spec(name.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def resolve(name: str, pattern: str) -> Path | None:
    """``name`` as a path if it exists, else the first file matching ``pattern`` in that package."""
    candidate = Path(name).expanduser()
    if candidate.exists():
        return candidate
    folder = package_dir(name)
    if folder is None:
        return None
    matches = sorted(folder.rglob(pattern))
    return matches[0] if matches else None
