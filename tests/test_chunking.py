"""Structure-aware chunking of the strategy and of ordinary documents."""

from pathlib import Path

import yaml

from domain.maturity import load_maturity_model
from ingest.chunking import chunk_document
from ingest.loaders import Block, load

ROOT = Path(__file__).resolve().parent.parent
ENTRY = next(
    d for d in yaml.safe_load((ROOT / "corpus/manifest.yaml").read_text())["documents"] if d.get("maturity_model")
)
MODEL = load_maturity_model(ROOT / "corpus" / ENTRY["maturity_model"])


def _strategy_chunks(size: int = 1200):
    blocks = load(ROOT / "corpus" / ENTRY["file"], page_break=ENTRY["page_break"], first_page=ENTRY["first_page"])
    return chunk_document(blocks, document=ENTRY["file"], chunk_size=size, model=MODEL)


def test_every_level_descriptor_is_its_own_labelled_passage() -> None:
    levels = [c for c in _strategy_chunks() if c.metadata["kind"] == "level"]
    assert len(levels) == 14 * 5
    for area in MODEL.areas:
        for level, descriptor in area.levels.items():
            [chunk] = [c for c in levels if c.metadata["key_area"] == area.name and c.metadata["level"] == level]
            assert descriptor in chunk.text
            assert area.name in chunk.text and f"Maturity level: {level}" in chunk.text
            if not area.is_enabler:
                assert area.theme in chunk.text and chunk.metadata["theme"] == area.theme
            assert chunk.metadata["page"] == area.page, (area.name, chunk.metadata["page"])


def test_key_area_description_and_help_passages() -> None:
    chunks = _strategy_chunks()
    for area in MODEL.key_areas:
        kinds = {c.metadata["kind"] for c in chunks if c.metadata["key_area"] == area.name}
        assert {"description", "what_it_is", "why_important", "level"} <= kinds


def test_table_columns_do_not_leak_into_prose() -> None:
    prose = " ".join(c.text for c in _strategy_chunks() if c.metadata["kind"] == "prose")
    assert "Firefighting" not in prose and "High level principle" not in prose
    assert "Councils are now taking a serious and long overdue look" in prose


def test_prose_respects_size_and_ids_are_stable() -> None:
    first, second = _strategy_chunks(800), _strategy_chunks(800)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)
    prose = [c for c in first if c.metadata["kind"] == "prose"]
    assert max(len(c.text) for c in prose) <= 800 + 120  # a heading line may be added


def test_headings_start_new_passages() -> None:
    blocks = [
        Block("Contract registers", heading=2),
        Block("Keep a register."),
        Block("Supplier days", heading=2),
        Block("Hold one each spring."),
    ]
    chunks = chunk_document(blocks, document="d.md", chunk_size=1000)
    assert [c.metadata["section"] for c in chunks] == ["Contract registers", "Supplier days"]
    assert chunks[1].text == "Supplier days\nHold one each spring."


def test_every_kind_of_list_mark_keeps_its_items_on_their_own_lines() -> None:
    from ingest.chunking import repair

    text = (
        "A waiver may be justified for:\n\uf0b7 genuine emergencies;\n● a sole supplier;\n(a) an extension;\n"
        "b) a pilot;\n– a test"
    )
    assert repair(text).split("\n") == [
        "A waiver may be justified for:",
        "• genuine emergencies;",
        "• a sole supplier;",
        "• an extension;",
        "• a pilot;",
        "• a test",
    ]
    assert repair("Plan (a) and\nsee b) there.") == "Plan (a) and see b) there."  # marks only where lines start


def test_a_list_stays_with_its_lead_in_across_the_passage_size() -> None:
    lead = "Waivers. " + "Background sentence about the rules. " * 20 + "A waiver may be justified for:"
    items = [f"• reason number {n} which is explained at some length here;" for n in range(6)]
    chunks = chunk_document([Block(lead), *(Block(i) for i in items)], document="rules.docx", chunk_size=900)
    holding = [c for c in chunks if "justified for:" in c.text]
    assert len(holding) == 1 and all(i in holding[0].text for i in items)
    many = [f"• item {n} " + "x" * 200 + ";" for n in range(12)]  # but not without end: twice the size at most
    assert len(chunk_document([Block(lead), *(Block(i) for i in many)], document="r.docx", chunk_size=900)) > 1
