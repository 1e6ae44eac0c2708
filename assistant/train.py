"""Train: a session pack for a trainer, built from the maturity model and cited.

For a theme, key area or enabler, an audience and a length: learning outcomes, a timed outline,
key points with citations, a scenario exercise (practice descriptions to place on the ladder),
a quiz with an answer key, and facilitator notes. Quiz distractors come from the adjacent levels
and other areas, so every answer is checkable against the model.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from domain.constants import AUDIENCES
from domain.maturity import Area, MaturityModel
from domain.text import number_word
from domain.types import Citation

# share of the session for each part of the outline
OUTLINE = [
    ("Welcome and why it matters", 0.10),
    ("What the strategy says", 0.25),
    ("The five levels", 0.20),
    ("Scenario exercise", 0.25),
    ("Quiz", 0.12),
    ("Actions and close", 0.08),
]


@dataclass
class QuizItem:
    question: str
    options: list[str]
    answer: str
    explanation: str
    citation: Citation | None


@dataclass
class Scenario:
    practice: str
    area: str
    level: str
    citation: Citation | None


@dataclass
class TrainingPack:
    title: str
    topic: str
    audience: str
    minutes: int
    outcomes: list[str]
    outline: list[tuple[int, str]]  # (minutes, part)
    key_points: list[tuple[str, Citation | None]]
    scenarios: list[Scenario]
    quiz: list[QuizItem]
    notes: list[str]
    areas: list[str] = field(default_factory=list)


class TrainingError(ValueError):
    """A topic, audience or length the pack cannot be built for."""


@dataclass(frozen=True)
class Templates:
    """Scenario wording as data (``corpus/training.yaml``): situations, speakers and settings per audience."""

    scenarios: dict[str, list[str]]
    speakers: dict[str, list[str]]
    settings: dict[str, list[str]]

    @classmethod
    def read(cls, path: Path) -> Templates:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        return cls(data.get("scenario_templates", {}), data.get("speakers", {}), data.get("settings", {}))


class Trainer:
    def __init__(self, model: MaturityModel, cite: Any, templates: Templates | None = None) -> None:
        self.model = model
        self.cite = cite  # (area, level, kind) -> Citation | None
        self.templates = templates or Templates({}, {}, {})

    def topics(self) -> list[str]:
        return [*self.model.themes, "Enablers", *(a.name for a in self.model.areas)]

    def _areas(self, topic: str) -> list[Area]:
        for theme, names in self.model.themes.items():
            if topic.strip().lower() == theme.lower():
                return [self.model.area(n) for n in names]
        if topic.strip().lower() in ("enablers", "enabler"):
            return self.model.enablers
        area = self.model.area(topic)
        if area is None:
            raise TrainingError(
                f"unknown topic '{topic}': use a theme, 'Enablers' or a key area ({', '.join(self.topics())})"
            )
        return [area]

    def pack(self, topic: str, audience: str = "councillors", minutes: int = 45, seed: int = 0) -> TrainingPack:
        if audience not in AUDIENCES:
            raise TrainingError(f"audience must be one of {', '.join(AUDIENCES)}")
        if not 15 <= minutes <= 480:
            raise TrainingError("a session lasts between 15 and 480 minutes")
        areas = self._areas(topic)
        rng = random.Random(f"{topic}|{audience}|{minutes}|{seed}")
        depth = 1 if minutes < 60 else 2
        title = f"{topic}: a {minutes}-minute session for {audience}"
        outcomes = [f"Explain what {a.name.lower()} means and why it matters to the council" for a in areas[:3]]
        ladder = f"{number_word(len(self.model.levels))}-level maturity ladder"
        outcomes.append(f"Place a description of council practice on the {ladder}")
        outcomes.append(
            "Agree the level the council should aim for and the next step to get there"
            if audience == "officers"
            else "Ask officers the questions that test where the council stands"
        )
        outline = [(max(1, round(minutes * share)), part) for part, share in OUTLINE]
        key_points: list[tuple[str, Citation | None]] = []
        for area in areas:
            if area.description:
                key_points.append(
                    (area.description.split(". ")[0].rstrip(".") + ".", self.cite(area, None, "description"))
                )
            if area.why_important:
                key_points.append(
                    (area.why_important.split(". ")[0].rstrip(".") + ".", self.cite(area, None, "why_important"))
                )
            for level in (self.model.levels[0], self.model.levels[-1]):
                key_points.append((f"{level}: {area.levels[level]}", self.cite(area, level, "level")))
        scenarios = []
        for area in areas:
            for level in rng.sample(list(self.model.levels), k=min(len(self.model.levels), 2 * depth)):
                situation = self._situation(area, area.levels[level], audience, rng)
                scenarios.append(Scenario(situation, area.name, level, self.cite(area, level, "level")))
        rng.shuffle(scenarios)
        quiz = [self._level_item(area, rng) for area in areas for _ in range(depth)]
        quiz += [self._definition_item(area, rng) for area in areas if area.description]
        notes = [
            "Each council chooses the level it aims for in each key area: a target below Innovator can be "
            "entirely appropriate (the strategy says so).",
            "In the exercise, ask groups which words in each description decided the level: 'a few key contracts', "
            "'across the organisation', 'embedded into corporate strategy', 'combined authority/group of councils'.",
            "Keep the guidance to hand: every answer in the key cites the page it comes from.",
        ]
        if audience == "councillors":
            notes.append(
                "Councillors' role is leadership and oversight: steer discussion to the questions members "
                "should ask of officers rather than operational detail."
            )
        return TrainingPack(
            title,
            topic,
            audience,
            minutes,
            outcomes,
            outline,
            key_points,
            scenarios,
            quiz,
            notes,
            [a.name for a in areas],
        )

    def _situation(self, area: Area, descriptor: str, audience: str, rng: random.Random) -> str:
        """The descriptor inside a situation a group can discuss (a template of ``corpus/training.yaml``)."""
        templates = self.templates.scenarios.get(audience) or ["{speaker_cap} describes {area_lower}: “{descriptor}”"]
        speaker = rng.choice(self.templates.speakers.get(audience) or ["a colleague"])
        setting = rng.choice(self.templates.settings.get(audience) or ["a team meeting"])
        return rng.choice(templates).format(
            descriptor=descriptor,
            area=area.name,
            area_lower=area.name[0].lower() + area.name[1:],
            speaker=speaker,
            speaker_cap=speaker[0].upper() + speaker[1:],
            setting=setting,
        )

    def _level_item(self, area: Area, rng: random.Random) -> QuizItem:
        levels = list(self.model.levels)
        level = rng.choice(levels)
        i = levels.index(level)
        options = {level}
        for j in (i - 1, i + 1, i - 2, i + 2):  # adjacent levels first: the hard distractors
            if 0 <= j < len(levels) and len(options) < 3:
                options.add(levels[j])
        ordered = [lv for lv in levels if lv in options]
        return QuizItem(
            f"{area.name}: which level is this? “{area.levels[level]}”",
            ordered,
            level,
            f"This is the {level} descriptor for {area.name}.",
            self.cite(area, level, "level"),
        )

    def _definition_item(self, area: Area, rng: random.Random) -> QuizItem:
        others = [a for a in self.model.key_areas if a.name != area.name]
        distractors = [a.name for a in rng.sample(others, k=2)]
        options = sorted([area.name, *distractors])
        first = area.description.split(". ")[0].rstrip(".")
        # the subject of "X refers to ..." and the area's names would give the answer away
        first = re.sub(r"^.{0,80}?\b(refers to|is about|means|is the)\b", r"This key area \1", first, count=1)
        first = re.sub(re.escape(area.name), "this key area", first, flags=re.I)
        for label in sorted(area.aliases, key=len, reverse=True):
            first = re.sub(rf"\b{re.escape(label)}\b", "…", first, flags=re.I)
        first = first[0].upper() + first[1:]
        return QuizItem(
            f"Which key area is described here? “{first}.”",
            options,
            area.name,
            f"This is how the strategy describes {area.name}.",
            self.cite(area, None, "description"),
        )
