"""Bounded load test on loopback: N concurrent conversations for a fixed time, then it stops by itself.

Two targets, each run against the same reference answers:

* ``process``: one Assistant shared by N threads (as the app shares one per process), each
  thread holding its own conversation history;
* ``http``: the Streamlit app started here on a free port, driven by N browser contexts
  (Playwright + Chromium), each its own Streamlit session.

Every conversation mixes a level question, follow-ups that only make sense with its own
history ("And at Leader?"), a definitional question and an out-of-scope question. Each answer
is compared with the answer the same conversation gets when run alone beforehand: an answer
that differs would mean a session saw another's history ("crossed"). Latency p50/p95 is printed
with the single-conversation p50 from the same run as the baseline (a ratio, as machines are noisy).

    .venv/bin/python benchmarks/load.py                     # both targets, 20 conversations, 60 s each
    .venv/bin/python benchmarks/load.py --target process --conversations 20 --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant import Assistant, Settings
from domain.maturity import MaturityModel
from evals.common import percentile

OUT_OF_SCOPE = ["What's the weather in Leeds tomorrow?", "Who won the FA Cup in 1990?", "Write me a poem about cats"]
TURN_TIMEOUT_S = 120.0  # one answer slower than this counts as an error, so the run always ends


def conversations(model: MaturityModel, n: int) -> list[list[str]]:
    """``n`` scripts built from the maturity model: each depends on its own history to be answered right."""
    areas = model.areas
    levels = model.levels
    out = []
    for i in range(n):
        area, other = areas[i % len(areas)], areas[(i + 3) % len(areas)]
        first, second = levels[(i // len(areas) + 2) % 5], levels[(i // len(areas) + 4) % 5]
        out.append(
            [
                f"What does the {first} level look like for {area.name.lower()}?",
                f"And what about {second}?",
                OUT_OF_SCOPE[i % len(OUT_OF_SCOPE)],
                f"What is {other.name.lower()}?",
                "And what is the Minimum level for it?",
            ]
        )
    return out


@dataclass
class Load:
    """What one run measured."""

    target: str
    conversations: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crossed: list[str] = field(default_factory=list)
    baseline_p50_ms: float | None = None
    server_cpu_s: float | None = None  # CPU the answering process used in the timed phase (all its threads)
    server_peak_mb: float | None = None
    machine_busy_cores: float | None = None  # all processes (server, browsers, this script) in the timed phase

    def row(self) -> dict:
        p50 = percentile(self.latencies_ms, 50)
        return {
            "target": self.target,
            "concurrency": self.conversations,
            "seconds": round(self.seconds, 1),
            "requests": len(self.latencies_ms) + len(self.errors),
            "errors": len(self.errors),
            "crossed_sessions": len(self.crossed),
            "p50_ms": round(p50),
            "p95_ms": round(percentile(self.latencies_ms, 95)),
            "requests_per_s": round(len(self.latencies_ms) / self.seconds, 2) if self.seconds else 0,
            "alone_p50_ms": round(self.baseline_p50_ms) if self.baseline_p50_ms else None,
            "p50_vs_alone": round(p50 / self.baseline_p50_ms, 1) if self.baseline_p50_ms else None,
            "server_cpu_ms_per_answer": round(1000 * self.server_cpu_s / len(self.latencies_ms))
            if self.server_cpu_s is not None and self.latencies_ms
            else None,
            "server_peak_rss_mb": round(self.server_peak_mb) if self.server_peak_mb else None,
            "server_cores": round(self.server_cpu_s / self.seconds, 2) if self.server_cpu_s and self.seconds else None,
            "machine_busy_cores": round(self.machine_busy_cores, 2) if self.machine_busy_cores is not None else None,
        }


def machine_busy_seconds() -> float:
    """CPU seconds spent by every process on the machine so far (Linux /proc/stat: all but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def peak_mb(pid: int | None = None) -> float:
    """Peak resident memory of a process (this one by default), from /proc on Linux."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU of a process so far (this one by default), from /proc on Linux."""
    if pid is None:
        return time.process_time()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def talk(assistant: Assistant, script: list[str], stop=lambda: False) -> Iterator[tuple[int, str, float]]:
    """One conversation: (turn, answer text, milliseconds) for each question, each asked with its own history."""
    history: list[dict[str, str]] = []
    for t, question in enumerate(script):
        if stop():
            return
        started = time.perf_counter()
        text = assistant.ask(question, history).text
        yield t, text, (time.perf_counter() - started) * 1000
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": text}]


@contextmanager
def timed_phase(load: Load, pid: int | None = None) -> Iterator[None]:
    """Fill in the load's duration, the answering process's CPU and memory, and the machine's CPU."""
    started, cpu, busy = time.perf_counter(), cpu_seconds(pid), machine_busy_seconds()
    try:
        yield
    finally:
        load.seconds = time.perf_counter() - started
        load.server_cpu_s = cpu_seconds(pid) - cpu
        load.server_peak_mb = peak_mb(pid)
        load.machine_busy_cores = (machine_busy_seconds() - busy) / load.seconds


def references(assistant: Assistant, scripts: list[list[str]]) -> tuple[list[list[str]], list[float]]:
    """Each conversation run alone: the answers every concurrent run must reproduce, and their latencies."""
    answers, took = [], []
    for script in scripts:
        turns = list(talk(assistant, script))
        answers.append([text for _, text, _ in turns])
        took += [ms for _, _, ms in turns]
    return answers, took


def run_process(
    assistant: Assistant, scripts: list[list[str]], refs: list[list[str]], seconds: float, rounds: int | None = None
) -> Load:
    """Every conversation in its own thread against one shared Assistant until ``seconds`` pass (or ``rounds``)."""
    load = Load("process", len(scripts))
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def past_deadline() -> bool:
        return rounds is None and time.perf_counter() > deadline

    def converse(c: int) -> None:
        done = 0
        while time.perf_counter() < deadline and (rounds is None or done < rounds):
            try:
                for t, text, ms in talk(assistant, scripts[c], past_deadline):
                    with lock:
                        load.latencies_ms.append(ms)
                        if text != refs[c][t]:
                            load.crossed.append(f"conversation {c} turn {t}: {text[:80]!r}")
            except Exception as exc:  # a load test counts every failure
                with lock:
                    load.errors.append(f"conversation {c}: {type(exc).__name__}: {exc}")
            done += 1

    threads = [threading.Thread(target=converse, args=(c,), daemon=True) for c in range(len(scripts))]
    with timed_phase(load):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + TURN_TIMEOUT_S * len(scripts[0]))
    if any(thread.is_alive() for thread in threads):
        load.errors.append("a conversation did not finish in time")
    return load


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£%]+", text.lower())


def shows(page_text: str, reference: str) -> bool:
    """The page's last message carries the reference answer (its first 30 words, in order)."""
    want, got = words(reference)[:30], words(page_text)
    return any(got[i : i + len(want)] == want for i in range(len(got) - len(want) + 1))


async def _open(browser, url: str):
    """A browser context (its own Streamlit session) with the Ask page loaded."""
    context = await browser.new_context(viewport={"width": 1100, "height": 900})
    page = await context.new_page()
    await page.goto(url, timeout=300_000)
    await page.get_by_test_id("stChatInputTextArea").wait_for(timeout=300_000)
    await _settled(page)
    return page


async def _settled(page) -> None:
    from benchmarks.apprunner import settled

    await settled(page, TURN_TIMEOUT_S)


async def _browser_conversation(page, script, refs, c: int, deadline: float, rounds: int | None, load: Load) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    messages = page.get_by_test_id("stChatMessage")
    done = 0
    try:
        while time.perf_counter() < deadline and (rounds is None or done < rounds):
            if done:  # a new conversation in the same session, as a user would start one
                await page.get_by_role("button", name="New conversation").click()
                await page.get_by_text("Try one of these:").wait_for(timeout=TURN_TIMEOUT_S * 1000)
                await _settled(page)
            done += 1
            for t, question in enumerate(script):
                if rounds is None and time.perf_counter() > deadline:
                    return
                before = await messages.count()
                await box.fill(question)
                started = time.perf_counter()
                await box.press("Enter")
                text = ""
                while time.perf_counter() - started < TURN_TIMEOUT_S:
                    if await messages.count() >= before + 2:
                        text = await messages.nth(before + 1).inner_text()
                        if shows(text, refs[t]):
                            break
                    await asyncio.sleep(0.2)
                else:
                    problem = f"conversation {c} turn {t}: " + (repr(text[:80]) if text else "no answer in time")
                    (load.crossed if text else load.errors).append(problem)
                    break
                load.latencies_ms.append((time.perf_counter() - started) * 1000)
                await _settled(page)  # the rerun that follows each answer is over, so the next question is kept
    except Exception as exc:  # a load test counts every failure
        load.errors.append(f"conversation {c}: {type(exc).__name__}: {str(exc)[:200]}")


async def _run_http(url: str, scripts, refs, seconds: float, rounds: int | None, chromium: str, args, pid) -> Load:
    """Open every session first (page loads are not part of the timed phase), then converse for ``seconds``."""
    from playwright.async_api import async_playwright

    load = Load("http", len(scripts))
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium, headless=True, args=args)
        try:
            pages = await asyncio.gather(*(_open(browser, url) for _ in scripts))
        except Exception as exc:  # a load test counts every failure
            load.errors.append(f"opening the sessions: {type(exc).__name__}: {str(exc)[:200]}")
            await browser.close()
            return load
        deadline = time.perf_counter() + seconds
        talks = [
            _browser_conversation(page, script, ref, c, deadline, rounds, load)
            for c, (page, script, ref) in enumerate(zip(pages, scripts, refs, strict=True))
        ]
        with timed_phase(load, pid):
            await asyncio.gather(*talks)
        await browser.close()
    return load


def run_http(data_dir: Path, scripts, refs, seconds: float, rounds: int | None = None) -> Load:
    """Start the app on a free port over ``data_dir``; one browser context per conversation.

    First one conversation alone (one round) gives the like-for-like baseline, then all of them.
    """
    from benchmarks.apprunner import CHROMIUM_ARGS, chromium_path, free_port, start_app, wait_for_port

    port = free_port()
    app = start_app(data_dir, port)
    try:
        if not wait_for_port(port, 120):
            return Load("http", len(scripts), errors=["the app did not start"])
        url, chromium = f"http://127.0.0.1:{port}", chromium_path()
        alone = asyncio.run(_run_http(url, scripts[:1], refs[:1], seconds, 1, chromium, CHROMIUM_ARGS, app.pid))
        load = asyncio.run(_run_http(url, scripts, refs, seconds, rounds, chromium, CHROMIUM_ARGS, app.pid))
        load.baseline_p50_ms = percentile(alone.latencies_ms, 50) if alone.latencies_ms else None
        load.errors += [f"alone: {e}" for e in alone.errors + alone.crossed]
        return load
    finally:
        app.terminate()
        app.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["process", "http", "both"], default="both")
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--data-dir", type=Path, help="an existing data folder (default: a fresh one, ingested here)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="pa-load-"))
    assistant = Assistant(Settings(data_dir=data_dir))
    assistant.ensure_corpus()
    scripts = conversations(assistant.maturity_model, args.conversations)
    assistant.ask("warm up")
    refs, alone = references(assistant, scripts)
    baseline = percentile(alone, 50)
    rows = []
    if args.target in ("process", "both"):
        load = run_process(assistant, scripts, refs, args.seconds)
        load.baseline_p50_ms = baseline
        rows.append((load, load.row()))
    if args.target in ("http", "both"):
        load = run_http(data_dir, scripts, refs, args.seconds)
        rows.append((load, load.row()))
    for load, row in rows:
        print(json.dumps(row))
        for problem in (load.errors + load.crossed)[:10]:
            print("  ", problem)
    if args.json:
        args.json.write_text(json.dumps([row for _, row in rows], indent=2))
    return 1 if any(load.errors or load.crossed for load, _ in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
