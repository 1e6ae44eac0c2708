"""Plan: a whole-council self-assessment profile and draft SMART objectives for each gap.

Objectives are built from the target level's descriptor (each clause becomes an objective) and
the area's help text, with the measure and evidence a level is usually shown by
(``corpus/planning.yaml``). Every objective cites the descriptor it rests on. Targets below
Innovator are normal: the strategy says each council chooses the level it aims for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from domain.maturity import Area, MaturityModel
from domain.types import Citation

MAX_OBJECTIVES = 4


class ProfileError(ValueError):
    """A profile file that cannot be used; the message says which line of it is wrong."""


@dataclass
class AreaTarget:
    area: str
    current: str
    target: str
    practice: str = ""


@dataclass
class Profile:
    council: str = "Our council"
    areas: list[AreaTarget] = field(default_factory=list)

    def to_yaml(self) -> str:
        data = {
            "council": self.council,
            "areas": {
                a.area: {k: v for k, v in (("current", a.current), ("target", a.target), ("practice", a.practice)) if v}
                for a in self.areas
            },
        }
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def save(self, path: Path) -> None:
        path.write_text(self.to_yaml(), encoding="utf-8")


@dataclass
class Objective:
    area: str
    level: str
    what: str
    measure: str
    evidence: str
    owner: str
    timescale: str
    citation: Citation | None

    def as_dict(self) -> dict[str, Any]:
        c = self.citation
        return {
            "area": self.area,
            "level": self.level,
            "what": self.what,
            "measure": self.measure,
            "evidence": self.evidence,
            "owner": self.owner,
            "timescale": self.timescale,
            "source": c.label() if c else "",
            "descriptor": c.quote if c else "",
        }


@dataclass
class PlanRow:
    area: str
    theme: str
    current: str
    target: str
    gap: int
    objectives: list[Objective] = field(default_factory=list)


@dataclass
class Plan:
    council: str
    rows: list[PlanRow]

    @property
    def gaps(self) -> list[PlanRow]:
        return [r for r in self.rows if r.gap > 0]


def load_profile(source: Path | str | dict, model: MaturityModel) -> Profile:
    """Read a profile (YAML file, YAML text or dict) and check every area and level name."""
    if isinstance(source, dict):
        data = source
    else:
        text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise ProfileError(f"the profile is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("areas", {}), dict):
        raise ProfileError("the profile needs 'areas:' mapping each key area to its current and target level")
    profile = Profile(str(data.get("council") or "Our council"))
    for name, entry in (data.get("areas") or {}).items():
        area = model.area(str(name))
        if area is None:
            raise ProfileError(f"unknown key area or enabler '{name}'")
        entry = entry or {}
        levels = {k: _level(entry.get(k), model, name, k) for k in ("current", "target")}
        profile.areas.append(AreaTarget(area.name, levels["current"], levels["target"], str(entry.get("practice", ""))))
    return profile


def _level(value: Any, model: MaturityModel, area: str, key: str) -> str:
    if value is None:
        return model.levels[0] if key == "current" else ""
    match = next((lv for lv in model.levels if lv.lower() == str(value).strip().lower()), None)
    if match is None:
        raise ProfileError(f"{area}: {key} level '{value}' is not one of {', '.join(model.levels)}")
    return match


def clauses(descriptor: str) -> list[str]:
    """A descriptor split into the separate things it asks for."""
    parts = re.split(r"\s*•\s*|(?<=[.)])\s+(?=[A-Z])|:\s+(?=•)", descriptor)
    out = [p.strip().rstrip(".") for p in parts if len(p.strip()) > 12 and not p.strip().endswith(":")]
    return out or [descriptor.rstrip(".")]


class Planner:
    def __init__(self, model: MaturityModel, planning_path: Path, cite: Any) -> None:
        self.model = model
        self.data = yaml.safe_load(planning_path.read_text(encoding="utf-8"))
        self.cite = cite  # (area, level, kind) -> Citation | None

    def objectives(self, area: Area, current: str, target: str) -> list[Objective]:
        levels = list(self.model.levels)
        i, j = levels.index(current), levels.index(target)
        if j <= i:
            return []
        owner = self.data["owners"].get(area.name, self.data["default_owner"])
        out: list[Objective] = []
        steps = levels[i + 1 : j + 1]
        if len(steps) > 1:  # the intermediate rungs come first: each is a stage on the way
            for step in steps[:-1][: MAX_OBJECTIVES - 1]:
                out.append(self._objective(area, step, f"Reach {step}: {area.levels[step].rstrip('.')}", owner))
        for clause in clauses(area.levels[target]):
            if len(out) >= MAX_OBJECTIVES:
                break
            out.append(self._objective(area, target, clause, owner))
        if len(out) < 2 and area.what_it_is:
            help_cite = self.cite(area, None, "what_it_is")
            first = area.what_it_is.split(". ")[0].rstrip(".")
            out.append(
                Objective(
                    area.name,
                    target,
                    f"Show that, in this council, {first[0].lower()}{first[1:]}",
                    self.data["levels"][target]["measure"],
                    self.data["levels"][target]["evidence"],
                    owner,
                    "[by DATE]",
                    help_cite,
                )
            )
        if len(out) < 2:  # enablers have no help text: a progress objective on the same descriptor
            descriptor = area.levels[target].rstrip(".")
            what = (
                f"Reach {target}: report progress on how far this is in place: {descriptor[0].lower()}{descriptor[1:]}"
            )
            out.append(self._objective(area, target, what, owner))
        return out

    def _objective(self, area: Area, level: str, what: str, owner: str) -> Objective:
        how = self.data["levels"][level]
        return Objective(
            area.name,
            level,
            what[0].upper() + what[1:],
            how["measure"],
            how["evidence"],
            owner,
            "[by DATE]",
            self.cite(area, level, "level"),
        )

    def plan(self, profile: Profile) -> Plan:
        rows = []
        for entry in profile.areas:
            area = self.model.area(entry.area)
            target = entry.target or entry.current
            gap = self.model.level_index(target) - self.model.level_index(entry.current)
            rows.append(
                PlanRow(
                    area.name,
                    "Enabler" if area.is_enabler else area.theme,
                    entry.current,
                    target,
                    max(0, gap),
                    self.objectives(area, entry.current, target),
                )
            )
        return Plan(profile.council, rows)
