"""The NPS 2018 maturity model as data: themes, key areas, enablers and their level ladders.

Loaded from ``corpus/nps2018_maturity.yaml`` so the model is edited as data, never as code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LEVELS = ("Minimum", "Developing", "Mature", "Leader", "Innovator")
ENABLER = "enabler"


@dataclass(frozen=True)
class Area:
    """A key area (or enabler) with its descriptors, in ladder order."""

    name: str
    theme: str  # a theme name, or "enabler"
    levels: dict[str, str]
    page: int | None = None
    description: str = ""
    what_it_is: str = ""
    why_important: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def is_enabler(self) -> bool:
        return self.theme == ENABLER

    @property
    def kind(self) -> str:
        return "enabler" if self.is_enabler else "key area"

    def descriptor(self, level: str) -> str:
        return self.levels[level]


@dataclass(frozen=True)
class MaturityModel:
    source: str
    title: str
    themes: dict[str, list[str]]
    areas: list[Area]
    levels: tuple[str, ...] = LEVELS
    _index: dict[str, Area] = field(default_factory=dict, compare=False, repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The model's own names: its themes, key areas and enablers."""
        return (*self.themes, *(a.name for a in self.areas))

    @property
    def enablers(self) -> list[Area]:
        return [a for a in self.areas if a.is_enabler]

    @property
    def key_areas(self) -> list[Area]:
        return [a for a in self.areas if not a.is_enabler]

    def area(self, name: str) -> Area | None:
        """Find an area by its name or an alias, ignoring case, punctuation and spacing."""
        if not self._index:
            for area in self.areas:
                for label in (area.name, *area.aliases):
                    self._index.setdefault(_key(label), area)
        return self._index.get(_key(name))

    def level_index(self, level: str) -> int:
        return self.levels.index(level)

    def level_above(self, level: str) -> str | None:
        """The next level up, the step a council would take next; None at the top."""
        i = self.level_index(level)
        return self.levels[i + 1] if i + 1 < len(self.levels) else None


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def load_maturity_model(path: Path) -> MaturityModel:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    levels = tuple(data.get("levels", LEVELS))
    areas = []
    for raw in data["areas"]:
        ladder = raw["levels"]
        missing = [lv for lv in levels if lv not in ladder]
        if missing:
            raise ValueError(f"{path.name}: area {raw['name']!r} lacks levels {missing}")
        areas.append(
            Area(
                name=raw["name"],
                theme=raw["theme"],
                levels={lv: " ".join(str(ladder[lv]).split()) for lv in levels},
                page=raw.get("page"),
                description=" ".join(raw.get("description", "").split()),
                what_it_is=" ".join(raw.get("what_it_is", "").split()),
                why_important=" ".join(raw.get("why_important", "").split()),
                aliases=tuple(raw.get("aliases", ())),
            )
        )
    themes = {t["name"]: list(t["key_areas"]) for t in data["themes"]}
    return MaturityModel(data["source"], data["title"], themes, areas, levels)
