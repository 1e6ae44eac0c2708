"""Plan and train: objectives cite what they rest on, quiz keys are right, Word files open."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import docx
import pytest

from assistant import Assistant, export
from assistant.plan import ProfileError, load_profile
from assistant.train import TrainingError
from domain.text import normalise

ROOT = Path(__file__).resolve().parent.parent


def test_every_objective_cites_the_descriptor_it_rests_on(corpus_assistant: Assistant) -> None:
    model = corpus_assistant.maturity_model
    levels = list(model.levels)
    profile = {
        "council": "Test",
        "areas": {
            a.name: {"current": "Minimum", "target": t}
            for a, t in zip(model.areas, itertools.cycle(levels[1:]), strict=False)
        },
    }
    plan = corpus_assistant.plan(profile)
    assert len(plan.rows) == 14 and plan.gaps
    for row in plan.gaps:
        assert 2 <= len(row.objectives) <= 4, row.area
        for o in row.objectives:
            assert o.citation is not None and o.citation.page
            quote = normalise(o.citation.quote)
            if o.citation.section.endswith(o.level):
                descriptor = normalise(model.area(row.area).levels[o.level])
                assert descriptor in quote  # the cited passage is the descriptor's own
                what = normalise(o.what.removeprefix(f"Reach {o.level}: ").split(": ")[-1])
                assert what.rstrip(".")[1:] in descriptor
            else:
                assert "what it is" in quote
            assert o.measure and o.evidence and o.owner and "[by DATE]" in o.timescale


def test_plan_without_gaps_and_bad_profiles(corpus_assistant: Assistant) -> None:
    plan = corpus_assistant.plan({"areas": {"Obtaining social value": {"current": "Mature", "target": "Mature"}}})
    assert plan.gaps == [] and plan.rows[0].objectives == []
    with pytest.raises(ProfileError, match="unknown key area"):
        load_profile({"areas": {"Parking": {"current": "Mature"}}}, corpus_assistant.maturity_model)
    with pytest.raises(ProfileError, match="not one of"):
        load_profile({"areas": {"Obtaining social value": {"current": "Great"}}}, corpus_assistant.maturity_model)
    with pytest.raises(ProfileError, match="YAML"):
        load_profile("areas: [unclosed", corpus_assistant.maturity_model)


def test_profile_round_trip_and_suggestions(corpus_assistant: Assistant, tmp_path: Path) -> None:
    profile = corpus_assistant.suggest_profile(
        {"Obtaining social value": "We ask for social value on a handful of big contracts only."},
        targets={"Obtaining social value": "Leader"},
    )
    assert profile.areas[0].current == "Developing" and profile.areas[0].target == "Leader"
    path = tmp_path / "profile.yaml"
    profile.save(path)
    again = load_profile(path, corpus_assistant.maturity_model)
    assert again.areas[0].current == "Developing" and again.areas[0].practice


def test_plan_exports_open_in_word_and_csv(corpus_assistant: Assistant, tmp_path: Path) -> None:
    plan = corpus_assistant.plan(ROOT / "examples" / "profile.yaml")
    out = tmp_path / "plan.docx"
    export.write(plan, out)
    document = docx.Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].startswith("Example District Council") and "Draft objectives" in headings
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Area", "Theme", "Current", "Target", "Gap"]
    assert len(table.rows) == len(plan.rows) + 1
    body = "\n".join(p.text for p in document.paragraphs)
    assert "page 13" in body and "Source:" in body
    export.write(plan, tmp_path / "plan.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "plan.csv").read_text())))
    assert rows and all(r["source"] for r in rows if r["what"])
    export.write(plan, tmp_path / "plan.md")
    assert "| Area | Theme |" in (tmp_path / "plan.md").read_text()


def test_quiz_answer_keys_are_right_across_many_packs(corpus_assistant: Assistant) -> None:
    model = corpus_assistant.maturity_model
    trainer = corpus_assistant.trainer
    checked = 0
    for topic, audience, minutes, seed in itertools.product(
        trainer.topics(), ("councillors", "officers"), (30, 45, 90), (0, 1)
    ):
        pack = trainer.pack(topic, audience, minutes, seed)
        assert sum(m for m, _ in pack.outline) in range(minutes - 3, minutes + 4)
        for item in pack.quiz:
            assert item.answer in item.options and len(set(item.options)) == len(item.options) >= 3
            assert item.citation is not None
            if "which level is this?" in item.question:
                area = model.area(item.question.split(":")[0])
                descriptor = item.question.split("“", 1)[1].rstrip("”")
                assert area.levels[item.answer] == descriptor
                assert [lv for lv in model.levels if area.levels[lv] == descriptor] == [item.answer]
                i = model.levels.index(item.answer)
                assert all(abs(model.levels.index(o) - i) <= 2 for o in item.options)
                assert normalise(descriptor) in normalise(item.citation.quote)
            else:  # the description with the area's own name masked: the question must not answer itself
                shown = normalise(item.question.split("“", 1)[1].rstrip("”."))
                area = model.area(item.answer)
                assert all(normalise(label) not in shown for label in (area.name, *area.aliases))
            checked += 1
        for s in pack.scenarios:  # a situation around the strategy's own words, never a prefixed descriptor
            descriptor = normalise(model.area(s.area).levels[s.level])
            assert f"“{descriptor}”" in normalise(s.practice).replace('"', "“", 1).replace('"', "”", 1)
            assert not normalise(s.practice).startswith(descriptor[:20])
    assert checked > 300


def test_training_pack_word_export_and_errors(corpus_assistant: Assistant, tmp_path: Path) -> None:
    pack = corpus_assistant.training_pack("Obtaining social value", "officers", 90)

    def headings(path: Path) -> list[str]:
        return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("Heading")]

    export.write(export.pack_blocks(pack), tmp_path / "pack.docx")
    export.write(export.facilitator_blocks(pack), tmp_path / "facilitator.docx")
    handout, facilitator = headings(tmp_path / "pack.docx"), headings(tmp_path / "facilitator.docx")
    for part in ("Learning outcomes", "Timed outline", "Key points", "Scenario exercise", "Quiz"):
        assert part in handout
    assert not [h for h in handout if "Answer key" in h or "Facilitator" in h]  # the handout gives nothing away
    for part in ("Answer key: scenarios", "Answer key: quiz", "Facilitator notes"):
        assert part in facilitator
    document = docx.Document(str(tmp_path / "pack.docx"))
    assert "page 17" in "\n".join(p.text for p in document.paragraphs)
    with pytest.raises(TrainingError):
        corpus_assistant.training_pack("Parking", "officers", 45)
    with pytest.raises(TrainingError):
        corpus_assistant.training_pack("Obtaining social value", "everyone", 45)
