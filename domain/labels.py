"""The labels chunking writes into the maturity model's passages, and how readers take them off.

Chunking writes each key area's passages with a header naming the area (and theme) and a label
for the part (help text or level); compose shows the passage's own words without them. Both
sides use this module, so renaming a label cannot silently break the reader.
"""

from __future__ import annotations

import re

from domain.maturity import Area

# passage kind -> the label written before its text
PART_LABELS = {
    "description": "Description",
    "what_it_is": "Help: What it is",
    "why_important": "Help: Why it is important",
}
_AREA_HEADER = "Key area: {name} (theme: {theme})"
_ENABLER_HEADER = "Enabler: {name}"
_LEVEL_HEADER = "Maturity level: {level} ({position} of {total})"


def area_header(area: Area) -> str:
    template = _ENABLER_HEADER if area.is_enabler else _AREA_HEADER
    return template.format(name=area.name, theme=area.theme)


def level_header(level: str, position: int, total: int) -> str:
    return _LEVEL_HEADER.format(level=level, position=position, total=total)


def level_line(level: str, descriptor: str) -> str:
    return f"{level}: {descriptor}"


def part_line(kind: str, body: str) -> str:
    return f"{PART_LABELS[kind]}: {body}"


def _pattern(template: str) -> str:
    return (
        re.escape(template)
        .replace(r"\{name\}", ".*")
        .replace(r"\{theme\}", ".*")
        .replace(r"\{level\}", ".*")
        .replace(r"\{position\}", r"\d+")
        .replace(r"\{total\}", r"\d+")
    )


_HEADER = re.compile("^(" + "|".join(_pattern(t) for t in (_AREA_HEADER, _ENABLER_HEADER, _LEVEL_HEADER)) + ")$")
_PART = re.compile(
    "^(" + "|".join(re.escape(x) for label in PART_LABELS.values() for x in {label, label.split(": ")[-1]}) + "): "
)


def is_header(line: str) -> bool:
    """A header line chunking wrote (area, enabler or level), not the guidance's own words."""
    return bool(_HEADER.match(line))


def strip_part_label(text: str) -> str:
    """The text without a leading part label ("Help: What it is: …" -> "…")."""
    return _PART.sub("", text)


def strip_level_label(text: str, level: str) -> str | None:
    """The descriptor without its "Level: " label, or None when the text does not start with it."""
    prefix = f"{level}: "
    return text[len(prefix) :] if level and text.startswith(prefix) else None
