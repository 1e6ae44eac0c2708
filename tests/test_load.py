"""Many users at once: conversations in parallel must each get their own answers, with no errors.

The timed load test with figures is ``benchmarks/load.py`` (20 conversations for a fixed time);
these tests run the same code for one round each, so they check correctness, not speed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from benchmarks.load import conversations, references, run_http, run_process
from tests.helpers import chromium_path


@pytest.fixture(scope="module")
def scripted(corpus_assistant: Assistant) -> tuple[list[list[str]], list[list[str]]]:
    scripts = conversations(corpus_assistant.maturity_model, 20)
    refs, _ = references(corpus_assistant, scripts)
    assert len({r[1] for r in refs}) >= 14  # follow-ups differ by conversation, so a crossed history would show
    assert all(not r[2].startswith("At the") for r in refs)  # the out-of-scope turn is declined
    return scripts, refs


def test_twenty_conversations_in_parallel_in_one_process(corpus_assistant: Assistant, scripted) -> None:
    scripts, refs = scripted
    load = run_process(corpus_assistant, scripts, refs, seconds=900, rounds=2)
    assert load.errors == [] and load.crossed == []
    assert len(load.latencies_ms) == 2 * sum(len(s) for s in scripts)

    swapped = run_process(corpus_assistant, scripts[:2], [refs[1], refs[0]], seconds=900, rounds=1)
    assert len(swapped.crossed) >= 2  # the check does catch an answer meant for another conversation


def test_browser_sessions_in_parallel_against_the_app(corpus_assistant: Assistant, scripted) -> None:
    pytest.importorskip("playwright.async_api", reason="playwright is installed by the test extra")
    if not Path(chromium_path()).exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    scripts, refs = scripted
    load = run_http(corpus_assistant.settings.data_dir, scripts[:4], refs[:4], seconds=900, rounds=1)
    assert load.errors == [] and load.crossed == []
    assert len(load.latencies_ms) == sum(len(s) for s in scripts[:4])
