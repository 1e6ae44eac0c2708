"""The structured maturity model is a faithful transcription of the strategy."""

from pathlib import Path

import pytest

from domain.maturity import LEVELS, load_maturity_model
from domain.text import normalise

ROOT = Path(__file__).resolve().parent.parent
MODEL = load_maturity_model(ROOT / "corpus" / "nps2018_maturity.yaml")
SOURCE = normalise((ROOT / "corpus" / MODEL.source).read_text(encoding="utf-8"))


def test_shape_three_themes_ten_key_areas_four_enablers() -> None:
    assert list(MODEL.themes) == ["Showing leadership", "Behaving commercially", "Achieving community benefits"]
    assert len(MODEL.key_areas) == 10
    assert [a.name for a in MODEL.enablers] == [
        "Developing talent",
        "Exploiting digital technology",
        "Enabling innovation",
        "Embedding change",
    ]
    for theme, names in MODEL.themes.items():
        assert [a.name for a in MODEL.key_areas if a.theme == theme] == names
    for area in MODEL.areas:
        assert tuple(area.levels) == LEVELS


@pytest.mark.parametrize("area", MODEL.areas, ids=lambda a: a.name)
def test_every_text_appears_in_the_source(area) -> None:
    texts = list(area.levels.values())
    if not area.is_enabler:
        assert area.description and area.what_it_is and area.why_important
        texts += [area.description, area.what_it_is, area.why_important]
    for text in texts:
        assert normalise(text) in SOURCE, text


def test_the_source_file_is_the_seed_unchanged() -> None:
    seed = ROOT.parent / "shared" / "seeds" / MODEL.source
    if not seed.exists():
        pytest.skip("shared/seeds not beside this checkout")
    assert (ROOT / "corpus" / MODEL.source).read_bytes() == seed.read_bytes()


def test_lookup_by_alias_and_heading() -> None:
    assert MODEL.area("Engaging local small medium enterprises (SMEs) and micro-businesses").name == (
        "Engaging local SMEs and micro-businesses"
    )
    assert MODEL.area("enabling vcse engagement").name == "Enabling VCSE engagement"
    assert MODEL.area("nonsense") is None
