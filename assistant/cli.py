"""Command line: ``procurement-assistant ask|chat|assess|plan|train|fit|ingest|search|stats|remove``.

A thin surface: it parses arguments, calls :class:`assistant.Assistant` and prints.
Errors a user can act on are printed as one clear line with exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable

from assistant.faults import StoreError
from assistant.indexer import IngestReport
from domain.constants import AUDIENCES
from domain.types import Citation


def _assistant():
    from assistant import Assistant

    return Assistant()


def _ready():
    """The assistant with the bundled corpus brought up to date, as the app does on start: on a fresh
    install the first question indexes it (a few seconds) instead of finding an empty store."""
    assistant = _assistant()
    with contextlib.suppress(StoreError):  # a store that is down: each question then says so, and chat stays up
        assistant.ensure_corpus()
    return assistant


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    assistant = _assistant()
    bar = tqdm(total=0, unit="file", disable=args.json or (not sys.stderr.isatty() and not args.progress))

    def progress(done: int, total: int, name: str) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name[:40])
        bar.refresh()

    report: IngestReport = assistant.ingest(args.paths or None, progress=progress)
    bar.close()
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        for f in report.files:
            line = f"{f.status:<9} {f.document}" + (f" ({f.chunks} chunks)" if f.chunks else "")
            print(line + (f": {f.reason}" if f.reason else ""))
        print(report.summary())
    return (
        1
        if report.count("failed") and not (report.count("added") + report.count("updated") + report.count("unchanged"))
        else 0
    )


def cmd_search(args: argparse.Namespace) -> int:
    assistant = _ready()
    filters = {k: getattr(args, k) for k in ("document", "theme", "key_area", "level") if getattr(args, k)}
    docs = assistant.search(args.query, k=args.k, mode=args.mode, filters=filters)
    if args.json:
        print(json.dumps([{"text": d.page_content, **d.metadata} for d in docs], indent=2, ensure_ascii=False))
        return 0
    if not docs:
        print("No passages found.")
    for rank, doc in enumerate(docs, start=1):
        c = Citation.from_passage(doc.page_content, doc.metadata, rank)
        print(f"{c.label()}  (score {doc.metadata['score']:.4f})")
        print("    " + " ".join(doc.page_content.split())[:400])
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    stats = _assistant().stats()
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    print(f"{stats['documents']} documents, {stats['chunks']} chunks in {stats['store']}")
    print(f"embedding model: {stats['embedding_model']}")
    for d in stats["items"]:
        pages = f" pages {d['pages']}" if d["pages"] else ""
        print(f"  {d['document']}: {d['chunks']} chunks{pages}, indexed {d['indexed_at']} — {d['title']}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    result = _assistant().remove(args.document)
    print(
        f"{result.status} {result.document}"
        + (f" ({result.chunks} chunks)" if result.chunks else "")
        + (f": {result.reason}" if result.reason else "")
    )
    return 0 if result.status == "removed" else 1


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        data = answer.as_dict()
        print(json.dumps({k: data[k] for k in ("text", "citations", "refused", "mode")}, indent=2, ensure_ascii=False))
        return
    print(answer.text)
    if answer.notice:
        print(f"\nNote: {answer.notice}")
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            print("  " + c.label())


def _read_history(path: str | None) -> list[dict[str, str]]:
    if not path:
        return []
    try:
        data = json.loads(open(path, encoding="utf-8").read())  # noqa: SIM115
    except (OSError, json.JSONDecodeError) as exc:
        raise SystemExit(f"error: cannot read history file {path}: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(t, dict) and "content" in t for t in data):
        raise SystemExit('error: the history file must be a JSON list of {"role", "content"} objects')
    return data


def cmd_ask(args: argparse.Namespace) -> int:
    answer = _ready().ask(args.question, history=_read_history(args.history))
    _print_answer(answer, args.json)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    assistant = _ready()
    history: list[dict[str, str]] = []
    print("Ask about the National Procurement Strategy 2018 and related guidance. Empty line or Ctrl-D to quit.")
    while True:
        try:
            question = input("\nyou> ").strip()
        except EOFError:
            print()
            return 0
        if not question:
            return 0
        try:
            answer = assistant.ask(question, history=history)
        except StoreError as exc:  # keep the conversation; the store may be back for the next question
            print(f"\nerror: {exc}", file=sys.stderr)
            continue
        print()
        _print_answer(answer, False)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.text}]


def _print_assessment(result, several: bool) -> None:
    if result.key_area is None:
        print(result.rationale)
        return
    if several:
        print(f"— about: “{result.excerpt}”")
    print(f"Key area: {result.key_area}" + (f" (also: {result.second_key_area})" if result.second_key_area else ""))
    print(f"Level: {result.level}   confidence {result.confidence:.0%}" + ("" if result.confident else " (not sure)"))
    if not result.confident and len(result.between) == 2:
        low, high = result.between
        print(f"\nBetween {low['level']} and {high['level']}:")
        for b in result.between:
            print(f"  {b['level']} ({b['probability']:.0%}): {b['descriptor']}")
        if result.question:
            print(f"To decide: {result.question}")
    print(f"\n{result.rationale}")
    if result.next_level:
        print(f"\nNext step, {result.next_level['level']}: {result.next_level['descriptor']}")
    if result.notice:
        print(f"\nNote: {result.notice}")
    print("\nSources:")
    for c in result.citations:
        print("  " + c.label())


def cmd_assess(args: argparse.Namespace) -> int:
    assistant = _ready()
    results = (
        [assistant.assess(args.text, key_area=args.key_area)] if args.key_area else assistant.assess_all(args.text)
    )
    if args.json:
        data = [r.as_dict() for r in results]
        print(json.dumps(data[0] if len(data) == 1 else data, indent=2, ensure_ascii=False, default=str))
        return 0
    for i, result in enumerate(results):
        if i:
            print()
        _print_assessment(result, len(results) > 1)
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant import export
    from assistant.plan import ProfileError

    try:
        plan = _ready().plan(Path(args.profile))
    except (OSError, ProfileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out:
        export.write(plan, Path(args.out))
        print(f"wrote {args.out}: {len(plan.gaps)} gaps, {sum(len(r.objectives) for r in plan.rows)} objectives")
    else:
        print(export.to_markdown(export.plan_blocks(plan)))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant import export
    from assistant.train import TrainingError

    try:
        pack = _ready().training_pack(args.topic, args.audience, args.minutes)
    except TrainingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.out:
        out = Path(args.out)
        facilitator = out.with_name(f"{out.stem}-facilitator{out.suffix}")
        export.write(export.pack_blocks(pack), out)
        export.write(export.facilitator_blocks(pack), facilitator)
        print(f"wrote {out} (handout: {len(pack.quiz)} quiz questions, {len(pack.scenarios)} scenarios)")
        print(f"wrote {facilitator} (answer key and notes)")
    else:
        print(export.to_markdown(export.pack_blocks(pack)))
        print(export.to_markdown(export.facilitator_blocks(pack)))
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from pathlib import Path

    report = _assistant().fit([Path(d) for d in args.data] if args.data else None)
    print(json.dumps(report, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="procurement-assistant", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="index the bundled corpus, or the files and folders given")
    p.add_argument("paths", nargs="*")
    p.add_argument("--json", action="store_true")
    p.add_argument("--progress", action="store_true", help="show the progress bar even when not on a terminal")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", help="ranked passages for a query")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=5)
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    p.add_argument("--document")
    p.add_argument("--theme")
    p.add_argument("--key-area", dest="key_area")
    p.add_argument("--level")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="a short cited answer to a question")
    p.add_argument("question")
    p.add_argument("--history", help="JSON file: the conversation so far, [{role, content}, ...]")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="an interactive conversation in the terminal")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("assess", help="which key area and maturity level a described practice matches")
    p.add_argument("text")
    p.add_argument("--key-area", dest="key_area")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("plan", help="self-assessment profile and draft objectives from a PROFILE.yaml")
    p.add_argument("profile")
    p.add_argument("--out", help="FILE.docx, FILE.md or FILE.csv")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("train", help="a training session pack")
    p.add_argument("--topic", required=True, help="a theme, 'Enablers' or a key area")
    p.add_argument("--audience", choices=list(AUDIENCES), default="councillors")
    p.add_argument("--minutes", type=int, default=45)
    p.add_argument("--out", help="FILE.docx or FILE.md (the facilitator's copy goes beside it, FILE-facilitator.*)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("fit", help="refit the learned parts on labelled sets; parameters go to corpus/fitted")
    p.add_argument(
        "--data", nargs="*", help="folders in the evals/data format (default: evals/data and ../shared/validation)"
    )
    p.set_defaults(func=cmd_fit)

    p = sub.add_parser("stats", help="what is indexed")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("remove", help="remove a document (by its file name) from the store")
    p.add_argument("document")
    p.set_defaults(func=cmd_remove)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.func
    try:
        return handler(args)
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
