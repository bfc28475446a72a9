"""``pii-firewall``: run the worker, scan NDJSON without Kafka, and lint / test / explain rules."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from firewall.config import REPO_PATTERNS, ConfigError, load_settings
from firewall.detection import Detector, Finding, load_rule_pack, parse_payload, texts_at_paths
from firewall.pipeline import Firewall
from firewall.policy import load_policy

SCAN_BATCH = 512


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except ConfigError as exc:
        print(f"pii-firewall: configuration error:\n{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pii-firewall", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the streaming worker (Kafka in, Kafka out)")
    run.add_argument("--config", type=Path, help="YAML settings file (FIREWALL_* env overrides)")
    run.set_defaults(handler=_run)

    topics = commands.add_parser("topics", help="create every topic the settings name")
    topics.add_argument("--config", type=Path, help="YAML settings file (FIREWALL_* env overrides)")
    topics.add_argument("--partitions", type=int, default=4)
    topics.set_defaults(handler=_topics)

    scan = commands.add_parser("scan", help="scan NDJSON events without Kafka")
    scan.add_argument("file", nargs="?", default="-", help="NDJSON file, or - for stdin")
    scan.add_argument("--reveal", action="store_true", help="include the matched text")
    scan.add_argument(
        "--redact", action="store_true", help="print each event with every finding redacted instead"
    )
    scan.add_argument("--destination", help="decide for this destination (policy.yaml)")
    _pack_options(scan)
    scan.set_defaults(handler=_scan)

    rules = commands.add_parser("rules", help="SRE tooling for rule packs")
    rule_commands = rules.add_subparsers(dest="rules_command", required=True)
    lint = rule_commands.add_parser("lint", help="schema, compile, and every inline example")
    _pack_options(lint)
    lint.set_defaults(handler=_rules_lint)
    test = rule_commands.add_parser("test", help="what each rule matches in a sample file")
    test.add_argument("file", help="text or NDJSON sample, one event per line")
    _pack_options(test)
    test.set_defaults(handler=_rules_test)
    explain = rule_commands.add_parser("explain", help="how an entity is detected")
    explain.add_argument("entity")
    _pack_options(explain)
    explain.set_defaults(handler=_rules_explain)
    return parser


def _pack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--patterns",
        type=Path,
        default=REPO_PATTERNS,
        help="rule pack directory (default: the bundled patterns/)",
    )
    parser.add_argument("--policy", type=Path, help="policy file (default: PATTERNS/policy.yaml)")


# ------------------------------------------------------------------------------------- run


def _run(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        pass
    import faust

    from firewall.transport.app import create_app

    app, _hot_path = create_app(settings)
    # Faust's own INFO lines (subscription tables, service start/stop) drown the firewall's.
    worker = faust.Worker(app, loglevel="warning", quiet=True)
    # The worker's root handler drops INFO; the firewall's own lines ("hot path ready") get theirs.
    own = logging.getLogger("pii_firewall")
    own.setLevel(settings.log_level)
    own.propagate = False
    own.addHandler(logging.StreamHandler())
    own.handlers[-1].setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    # The worker leaves the root logger open and filters in its handler, so every aiokafka
    # debug() on the fetch and send paths built a full log record (5% of the hot path's CPU).
    for noisy in ("aiokafka", "kafka", "faust", "mode"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    worker.execute_from_commandline()  # runs until SIGINT / SIGTERM
    return 0


def _topics(args: argparse.Namespace) -> int:
    import asyncio

    from firewall.transport.admin import configured_topics, ensure_topics

    settings = load_settings(args.config)
    names = configured_topics(settings)
    asyncio.run(ensure_topics(settings.kafka.bootstrap_servers, names, args.partitions))
    print("topics ready: " + ", ".join(names))
    return 0


# ------------------------------------------------------------------------------------ scan


def _lines(source: str) -> Iterator[bytes]:
    stream: IO[bytes] = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    with stream:
        for line in stream:
            yield line.rstrip(b"\r\n")


def _batched(lines: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _scan(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy or args.patterns / "policy.yaml")
    firewall = Firewall(Detector(load_rule_pack(args.patterns)), policy)
    destination = args.destination or policy.scan_destination
    out = sys.stdout.buffer
    index = 0
    for batch in _batched(_lines(args.file), SCAN_BATCH):
        outcomes = firewall.process(batch, [destination] * len(batch))
        for payload, outcome in zip(batch, outcomes, strict=True):
            if args.redact:
                out.write(_redacted(firewall, payload, outcome.findings) + b"\n")
            else:
                out.write(
                    orjson.dumps(
                        _contract_row(index, outcome.action.value, payload, outcome.findings, args.reveal)
                    )
                    + b"\n"
                )
            index += 1
    out.flush()
    return 0


def _redacted(firewall: Firewall, payload: bytes, findings: Sequence[Finding]) -> bytes:
    """The event with every finding redacted by its entity's operator, whatever the destination."""
    from firewall.detection import PayloadKind
    from firewall.redaction import redact_payload

    parsed = parse_payload(payload)
    if parsed.kind is PayloadKind.BINARY:
        return payload if not findings else b""
    return redact_payload(parsed.kind, parsed.document, findings, firewall.policy.redaction)


def _contract_row(
    index: int, decision: str, payload: bytes, findings: Sequence[Finding], reveal: bool
) -> dict[str, Any]:
    texts: dict[str, str] = {}
    if reveal and findings:
        texts = texts_at_paths(parse_payload(payload))
    rows = []
    for f in findings:
        row: dict[str, Any] = {"entity": f.entity, "path": f.path, "start": f.start, "end": f.end}
        if reveal:
            row["text"] = texts.get(f.path, "")[f.start : f.end]
        rows.append(row)
    return {"index": index, "decision": decision, "findings": rows}


# ----------------------------------------------------------------------------------- rules


def _rules_lint(args: argparse.Namespace) -> int:
    pack = load_rule_pack(args.patterns)
    detector = Detector(pack)
    load_policy(args.policy or args.patterns / "policy.yaml")
    failures = []
    examples = 0
    for rule in pack.rules:
        cases = (
            [(e, "match") for e in rule.examples.match]
            + [(e, "whole") for e in rule.examples.whole]
            + [(e, "no_match") for e in rule.examples.no_match]
        )
        examples += len(cases)
        for example, kind in cases:
            found = detector.scan_payloads([example.encode()])[0]
            # A positive example must yield the rule's entity (an overlapping rule of the same
            # entity may win the span), a whole one over all of its text; a negative one must not
            # fire this rule.
            if kind == "no_match":
                if any(f.rule_id == rule.id for f in found):
                    failures.append(f"rule {rule.id}: example {example!r} should not match but does")
            elif kind == "match":
                if not any(f.entity == rule.entity for f in found):
                    failures.append(f"rule {rule.id}: example {example!r} should match but does not")
            elif not any(f.entity == rule.entity and (f.start, f.end) == (0, len(example)) for f in found):
                spans = [(f.entity, f.start, f.end) for f in found]
                failures.append(f"rule {rule.id}: example {example!r} should be found whole, found {spans}")
    for failure in failures:
        print(f"FAIL {failure}")
    print(
        f"{len(pack.rules)} rules, {len(pack.entities)} entities, {examples} examples: "
        f"{'OK' if not failures else f'{len(failures)} failing'}"
    )
    return 1 if failures else 0


_COLOURS = ["\x1b[41m", "\x1b[42m", "\x1b[43m", "\x1b[44m", "\x1b[45m", "\x1b[46m"]


def _rules_test(args: argparse.Namespace) -> int:
    detector = Detector(load_rule_pack(args.patterns))
    colour_of: dict[str, str] = {}
    for number, line in enumerate(_lines(args.file), start=1):
        findings = detector.scan_payloads([line])[0]
        leaves = texts_at_paths(parse_payload(line))
        print(f"line {number}: {len(findings)} finding(s)")
        for f in findings:
            colour = colour_of.setdefault(f.rule_id, _COLOURS[len(colour_of) % len(_COLOURS)])
            text = leaves.get(f.path, "")
            shown = (
                f"{text[max(0, f.start - 20) : f.start]}{colour}{text[f.start : f.end]}\x1b[0m"
                f"{text[f.end : f.end + 20]}"
            )
            print(
                f"  {f.entity:<20} {f.rule_id:<24} {f.path} [{f.start}:{f.end}] "
                f"conf {f.confidence:.2f}  …{shown}…"
            )
    return 0


def _rules_explain(args: argparse.Namespace) -> int:
    pack = load_rule_pack(args.patterns)
    rules = [r for r in pack.rules if r.entity == args.entity.upper()]
    if not rules:
        print(f"no rule detects {args.entity!r}; entities: {', '.join(pack.entities)}")
        return 1
    for rule in rules:
        kind = "sensitive" if rule.sensitive else "general"
        print(f"{rule.id}  ({rule.entity}, {kind} PI, {rule.category.value})")
        print(f"  {rule.description}")
        shown = (
            rule.expressions
            if len(rule.expressions) <= 4
            else (*rule.expressions[:3], f"... {len(rule.expressions) - 3} more (lexicon)")
        )
        for expression in shown:
            print(f"  expression: {expression}")
        print(
            f"  boundary: {rule.boundary.value}   validator: {rule.validator or '-'}   "
            f"refine: {rule.refine.value if rule.refine else '-'}"
        )
        if rule.refine_lexicon:
            print(f"  the refiner reads lexicon {rule.refine_lexicon} ({len(rule.refine_words)} words)")
        ctx = rule.context
        print(
            f"  confidence: {rule.confidence} (+{ctx.boost} with context)   "
            f"context required: {ctx.required or rule.confidence < pack.min_confidence}"
        )
        if ctx.keywords:
            print(f"  cue words (within {ctx.window} chars): {_word_list(ctx.keywords)}")
        if ctx.companion_keywords:
            print(
                f"  cue words only beside {', '.join(ctx.companions)}: {_word_list(ctx.companion_keywords)}"
            )
        elif ctx.in_companion_texts:
            print(f"  context: any text holding {', '.join(ctx.companions)} in running text")
        if ctx.keys:
            print(f"  JSON keys: {', '.join(ctx.keys)}")
        if ctx.deny_keys or ctx.deny_keywords:
            print(
                f"  never under keys: {', '.join(ctx.deny_keys) or '-'}; "
                f"vetoed by: {', '.join(ctx.deny_keywords) or '-'}"
            )
        for example in (*rule.examples.match, *rule.examples.whole):
            print(f"  matches:     {example}")
        for example in rule.examples.no_match:
            print(f"  not matched: {example}")
        print()
    return 0


def _word_list(words: Sequence[str]) -> str:
    """Cue words comma-separated; quoted where a space or comma is part of the word (" 138")."""
    return ", ".join(f'"{w}"' if " " in w or "," in w else w for w in words)


if __name__ == "__main__":
    sys.exit(main())
