"""Line-rate harness: the firewall against bare Kafka passthroughs, same broker, events and run.

    python -m loadtest.linerate --events 200000 [--json FILE] [--workers 2] [--quick]

It reuses the broker at ``--bootstrap`` (or env KAFKA_BOOTSTRAP), else starts one with
scripts/kafka.sh on port 19492 and stops it at the end. It preloads N events into one input
topic; then each contender - (a) aiokafka passthrough, (b) confluent-kafka passthrough, (c) the
firewall - runs as its own OS process with its own consumer group, drains that topic from the
beginning into its own sink, and is timed from outside by polling the end offsets of its
completion topic (the sink for a passthrough, the audit topic for the firewall):
eps = N / (t_done - t_first_output), with CPU seconds (/proc) in that window and peak RSS.

Latency: while (a) and (c) still run, caught up, a fixed-rate load at 50% and 90% of their own
measured rate goes to a latency input topic of their own; then (a) is restarted and loaded at the
firewall's two rates, so "added latency" compares equal loads. A record's delay is its broker
append time in the sink (sinks use LogAppendTime) minus the load generator's CreateTime, joined
by key and read after each phase, so no probe consumer competes for the CPU while it runs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
import yaml
from confluent_kafka import (
    TIMESTAMP_LOG_APPEND_TIME,
    Consumer,
    ConsumerGroupState,
    KafkaError,
    KafkaException,
    Message,
    TopicPartition,
)
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic  # what confluent_kafka.admin re-exports

from loadtest.loadgen import Progress, SizePlan, pregenerate, produce
from loadtest.processes import stop_gracefully

REPO_ROOT = Path(__file__).resolve().parent.parent
KAFKA_SCRIPT = REPO_ROOT / "scripts" / "kafka.sh"
HARNESS_KAFKA_PORT = 19492
PARTITIONS = 4
POLL_INTERVAL_S = 0.05
TRANSIENT_RETRY_S = 30.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
DECISIONS = ("allow", "redact", "quarantine", "block")
PASSTHROUGHS = ("aiokafka", "confluent")
LOAD_LEVELS = (0.5, 0.9)
SAME_RATE_BASELINE = "aiokafka@fw-rate"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


# --- broker and topics -------------------------------------------------------------------------


@dataclass(frozen=True)
class Broker:
    bootstrap: str
    started_here: bool
    env: dict[str, str]

    @classmethod
    def reuse_or_start(cls, bootstrap: str | None, port: int) -> Broker:
        if bootstrap:
            return cls(bootstrap, False, dict(os.environ))
        env = {**os.environ, "KAFKA_PORT": str(port)}
        env.pop("KAFKA_STATE_DIR", None)
        running = subprocess.run([str(KAFKA_SCRIPT), "status"], env=env, capture_output=True,
                                 check=False).returncode == 0
        started = subprocess.run([str(KAFKA_SCRIPT), "start"], env=env, capture_output=True,
                                 text=True, check=False, timeout=240)
        if started.returncode != 0:
            raise RuntimeError(f"scripts/kafka.sh start failed:\n{started.stderr}")
        return cls(started.stdout.strip().splitlines()[-1], not running, env)

    def stop_if_started_here(self) -> None:
        if self.started_here:
            subprocess.run([str(KAFKA_SCRIPT), "stop"], env=self.env, capture_output=True,
                           check=False, timeout=60)


def create_topics(bootstrap: str, names: Sequence[str], *, append_time: Sequence[str] = (),
                  partitions: int = PARTITIONS) -> None:
    """Create topics; those in ``append_time`` get broker timestamps (LogAppendTime)."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    new_topics = [NewTopic(name, partitions, 1, config={"message.timestamp.type": "LogAppendTime"}
                           if name in append_time else {}) for name in names]
    for future in admin.create_topics(new_topics).values():
        future.result(30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until every partition has a leader
        metadata = admin.list_topics(timeout=10).topics
        if all(n in metadata and len(metadata[n].partitions) == partitions
               and all(p.leader >= 0 for p in metadata[n].partitions.values()) for n in names):
            return
        time.sleep(0.2)
    raise TimeoutError(f"topics {names} have no leaders after 30 s")


def delete_topics(bootstrap: str, names: Sequence[str], prefix: str | None = None) -> None:
    """Delete ``names`` and, given ``prefix``, every topic under it (Faust makes some of its own)."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    doomed = set(names)
    if prefix is not None:
        doomed.update(t for t in admin.list_topics(timeout=10).topics if t.startswith(prefix))
    for future in admin.delete_topics(sorted(doomed), operation_timeout=30).values():
        future.result(30)


class OffsetReader:
    """Reads end offsets (one ListOffsets per partition); never joins a group."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "linerate-offsets",
                                   "enable.auto.commit": False})

    def ends(self, topic: str) -> list[int]:
        # A partition created a moment ago may answer NOT_LEADER_FOR_PARTITION although the
        # metadata already names its leader: ask again for a while, as Kafka clients do.
        deadline = time.monotonic() + TRANSIENT_RETRY_S
        while True:
            try:
                return [self._consumer.get_watermark_offsets(TopicPartition(topic, p), 10, False)[1]
                        for p in range(PARTITIONS)]
            except KafkaException as error:
                if not _transient(error) or time.monotonic() > deadline:
                    raise
            time.sleep(POLL_INTERVAL_S)

    def total(self, topic: str) -> int:
        return sum(self.ends(topic))

    def wait_for_total(self, topic: str, at_least: int, timeout_s: float) -> int:
        deadline = time.monotonic() + timeout_s
        while (count := self.total(topic)) < at_least and time.monotonic() < deadline:
            time.sleep(POLL_INTERVAL_S)
        return count

    def close(self) -> None:
        self._consumer.close()


# --- contender processes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Topics:
    """Every topic of one run: a shared input, and per contender a sink (plus firewall extras)."""

    prefix: str

    def input(self) -> str:
        return f"{self.prefix}.in"

    def latency_input(self, contender: str) -> str:
        return f"{self.prefix}.{contender}.lat.in"

    def sink(self, contender: str) -> str:
        return f"{self.prefix}.{contender}.out"

    def audit(self, contender: str) -> str:
        return f"{self.prefix}.{contender}.audit"

    def quarantine(self, contender: str) -> str:
        return f"{self.prefix}.{contender}.quarantine"

    def of(self, contender: str) -> list[str]:
        own = [self.latency_input(contender), self.sink(contender)]
        if contender.startswith("firewall"):
            own += [self.audit(contender), self.quarantine(contender)]
        return own

    def completion(self, contender: str) -> str:
        return self.audit(contender) if contender.startswith("firewall") else self.sink(contender)


class Contender:
    """One or more worker processes of one contender, with /proc accounting."""

    def __init__(self, impl: str, topics: Topics, bootstrap: str, workdir: Path, workers: int = 1):
        name = impl if workers == 1 else f"{impl}x{workers}"
        self.impl, self.name, self.topics, self.workdir = impl, name, topics, workdir
        inputs = [topics.input(), topics.latency_input(name)]
        self.bootstrap, self.group = bootstrap, f"{topics.prefix}.{name}"
        if impl in PASSTHROUGHS:
            command = [sys.executable, "-m", "loadtest.passthrough", "--impl", impl,
                       "--bootstrap", bootstrap, "--group", self.group, "--input", ",".join(inputs),
                       "--sink", topics.sink(name)]
        else:
            config = workdir / f"{name}.yaml"
            config.write_text(yaml.safe_dump(firewall_config(bootstrap, self.group, inputs,
                                                             topics, name)))
            command = [str(Path(sys.executable).parent / "pii-firewall"), "run",
                       "--config", str(config)]
        env = child_environment()
        self.logs = [workdir / f"{name}.{index}.log" for index in range(workers)]
        self.processes = []
        for log in self.logs:
            with log.open("wb") as sink:
                self.processes.append(subprocess.Popen(
                    command, stdout=sink, stderr=subprocess.STDOUT, cwd=REPO_ROOT, env=env))

    def check_alive(self) -> None:
        for process, log in zip(self.processes, self.logs, strict=True):
            if process.poll() is not None:
                tail = ANSI_ESCAPE.sub("", log.read_text(errors="replace"))[-3000:]
                raise RuntimeError(f"{self.name} exited with {process.returncode}:\n{tail}")

    def wait_ready(self, timeout_s: float) -> None:
        """Until the group is stable with every input partition assigned (log lines vary)."""
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        deadline = time.monotonic() + timeout_s
        while True:
            self.check_alive()
            try:
                group = admin.describe_consumer_groups([self.group])[self.group].result(10)
            except KafkaException as error:
                if not _transient(error):
                    raise
            else:
                assigned = sum(len(m.assignment.topic_partitions) for m in group.members)
                if group.state == ConsumerGroupState.STABLE and assigned >= 2 * PARTITIONS:
                    return
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: partitions not assigned after {timeout_s:.0f} s")
            time.sleep(0.2)

    def cpu_seconds(self) -> float:
        total = 0
        for process in self.processes:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime + stime, all threads
        return total / CLOCK_TICKS

    def peak_rss_mb(self) -> float:
        peaks = []
        for process in self.processes:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)

    def stop(self) -> None:
        stop_gracefully(self.processes)


_NOT_READY_YET = {
    KafkaError.COORDINATOR_LOAD_IN_PROGRESS,  # a broker that just started
    KafkaError.COORDINATOR_NOT_AVAILABLE,
    KafkaError.NOT_COORDINATOR,
    KafkaError.NOT_LEADER_FOR_PARTITION,  # a topic that was just created
    KafkaError.LEADER_NOT_AVAILABLE,
}


def _transient(error: KafkaException) -> bool:
    """A leader or group coordinator not ready yet: ask again (a fresh broker's or topic's first
    seconds)."""
    cause = error.args[0] if error.args else None
    return isinstance(cause, KafkaError) and (cause.retriable() or cause.code() in _NOT_READY_YET)


def child_environment() -> dict[str, str]:
    """The repository first on the path, so ``-m loadtest.*`` works from any directory."""
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def firewall_config(bootstrap: str, group: str, inputs: list[str], topics: Topics,
                    name: str) -> dict[str, Any]:
    return {
        "kafka": {"bootstrap_servers": bootstrap, "group_id": group, "input_topics": inputs},
        "topics": {"audit": topics.audit(name), "quarantine": topics.quarantine(name)},
        "routing": {"destination_header": "pii-dest",
                    "topic_destinations": {topic: "partner-analytics" for topic in inputs},
                    "sink_topics": {"partner-analytics": topics.sink(name)}},
        "web": {"enabled": False},
    }


# --- throughput ---------------------------------------------------------------------------------


@dataclass
class Throughput:
    eps: float
    mb_per_s: float
    seconds: float
    startup_s: float
    cpu_s_window: float
    cpu_us_per_event: float
    cpu_s_total: float = 0.0
    peak_rss_mb: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    outcomes_ok: bool = False


def measure_throughput(contender: Contender, offsets: OffsetReader, events: int, payload_bytes: int,
                       timeout_s: float) -> Throughput:
    """Poll the completion topic; each edge is the midpoint of the polls around it."""
    topic = contender.topics.completion(contender.name)
    spawned = previous = time.monotonic()
    first = cpu_first = None
    deadline = spawned + timeout_s
    while True:
        contender.check_alive()
        count = offsets.total(topic)
        now = time.monotonic()
        if first is None and count > 0:
            first, cpu_first = (previous + now) / 2, contender.cpu_seconds()
        if count >= events:
            done, cpu_done = (previous + now) / 2, contender.cpu_seconds()
            break
        if now > deadline:
            raise TimeoutError(f"{contender.name}: {count}/{events} events after {timeout_s:.0f} s")
        previous = now
        time.sleep(POLL_INTERVAL_S)
    assert first is not None and cpu_first is not None
    seconds = max(done - first, POLL_INTERVAL_S)
    window_cpu = cpu_done - cpu_first
    return Throughput(eps=events / seconds, mb_per_s=payload_bytes / seconds / 1e6,
                      seconds=seconds, startup_s=first - spawned, cpu_s_window=window_cpu,
                      cpu_us_per_event=window_cpu / events * 1e6)


def check_outcomes(contender: Contender, offsets: OffsetReader,
                   events: int) -> tuple[bool, dict[str, int]]:
    """Every input event has exactly one outcome, and the topics hold what the outcomes say."""
    name, topics = contender.name, contender.topics
    if contender.impl in PASSTHROUGHS:
        sink = offsets.total(topics.sink(name))
        return sink == events, {"sink": sink}
    decisions = read_decisions(offsets, topics.audit(name))
    expected_sink = decisions["allow"] + decisions["redact"]
    sink = offsets.wait_for_total(topics.sink(name), expected_sink, 10)
    quarantined = offsets.wait_for_total(topics.quarantine(name), decisions["quarantine"], 10)
    counts = {**decisions, "audit": sum(decisions.values()), "sink": sink,
              "quarantine_topic": quarantined}
    ok = (counts["audit"] == events and sink == expected_sink
          and quarantined == decisions["quarantine"] and set(decisions) <= set(DECISIONS))
    return ok, counts


def read_decisions(offsets: OffsetReader, audit_topic: str) -> Counter[str]:
    decisions: Counter[str] = Counter()
    for message in read_range(offsets.bootstrap, audit_topic, [0] * PARTITIONS,
                              offsets.ends(audit_topic)):
        decisions[str(orjson.loads(message.value() or b"{}").get("decision")).lower()] += 1
    return decisions


def read_range(bootstrap: str, topic: str, starts: Sequence[int],
               ends: Sequence[int]) -> Iterator[Message]:
    """Every record of ``topic`` from ``starts`` up to ``ends`` (per partition), after the fact."""
    reader = Consumer({"bootstrap.servers": bootstrap, "group.id": "linerate-reader",
                       "enable.auto.commit": False})
    reader.assign([TopicPartition(topic, p, start) for p, start in enumerate(starts)
                   if start < ends[p]])
    positions = list(starts)
    deadline = time.monotonic() + 300
    try:
        while any(pos < end for pos, end in zip(positions, ends, strict=True)):
            if time.monotonic() > deadline:
                raise TimeoutError(f"reading {topic}: at {positions} of {ends}")
            for message in reader.consume(5000, 0.5):
                partition, offset = message.partition(), message.offset()
                if message.error() is None and partition is not None and offset is not None \
                        and offset < ends[partition]:
                    positions[partition] = offset + 1
                    yield message
    finally:
        reader.close()


# --- latency ------------------------------------------------------------------------------------


@dataclass
class Latency:
    load: float
    target_eps: float
    achieved_eps: float
    samples: int
    p50_ms: float
    p99_ms: float
    p999_ms: float
    max_ms: float
    drained: bool


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, int(share * len(ordered) + 0.5) - 1))]


def measure_latency(contender: Contender, offsets: OffsetReader, load: float, rate: float,
                    options: argparse.Namespace) -> Latency:
    """Fixed-rate load into the contender's latency input, then delays read from its sink.

    A record's delay is the broker's append time in the sink (LogAppendTime) minus the time the
    load generator created it (CreateTime in the latency input, joined by key). Taking both
    times from records means no probe consumer competes with the contender for the 2 cores.
    """
    topics, name = contender.topics, contender.name
    source, sink = topics.latency_input(name), topics.sink(name)
    source_start, sink_start = offsets.ends(source), offsets.ends(sink)
    completion = topics.completion(name)
    completion_start = offsets.total(completion)
    seed = options.seed + options.phase  # distinct keys in every phase
    events = max(1, int(rate * options.latency_seconds))
    command = [sys.executable, "-m", "loadtest.loadgen", "--bootstrap", offsets.bootstrap,
               "--topic", source, "--events", str(events), "--rate", f"{rate:.1f}",
               "--pool", str(options.pool), "--seed", str(seed), "--no-progress",
               "--pii-density", str(options.pii_density), *size_arguments(options)]
    loadgen_log = contender.workdir / f"loadgen.{name}.{load:.0%}.log"
    with loadgen_log.open("wb") as log:
        loadgen = subprocess.run(command, stdout=subprocess.PIPE, stderr=log, cwd=REPO_ROOT,
                                 env=child_environment(), check=False)
    if loadgen.returncode != 0:
        tail = loadgen_log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"loadgen exited with {loadgen.returncode}:\n{tail}")
    sent = json.loads(loadgen.stdout.decode().strip().splitlines()[-1])
    drained = offsets.wait_for_total(completion, completion_start + events,
                                     options.drain_timeout) >= completion_start + events
    contender.check_alive()
    created = {message.key(): message.timestamp()[1] for message in
               read_range(offsets.bootstrap, source, source_start, offsets.ends(source))}
    samples = []
    for message in read_range(offsets.bootstrap, sink, sink_start, offsets.ends(sink)):
        kind, appended_ms = message.timestamp()
        if kind != TIMESTAMP_LOG_APPEND_TIME:
            raise RuntimeError(f"{sink} does not use LogAppendTime: no delay can be measured")
        created_ms = created.get(message.key())
        if created_ms is not None:
            samples.append((created_ms, appended_ms - created_ms))
    warmup_end = min((t for t, _ in samples), default=0) + options.warmup_seconds * 1000
    kept = sorted(delay for t, delay in samples if t >= warmup_end)
    return Latency(load=load, target_eps=rate, achieved_eps=float(sent["eps"]), samples=len(kept),
                   p50_ms=percentile(kept, 0.5), p99_ms=percentile(kept, 0.99),
                   p999_ms=percentile(kept, 0.999), max_ms=kept[-1] if kept else float("nan"),
                   drained=drained)


def size_arguments(options: argparse.Namespace) -> list[str]:
    return ["--size-dist", "mixed"] if options.size_dist else ["--size", str(options.size)]


# --- one run ------------------------------------------------------------------------------------


@dataclass
class RunReport:
    events: int
    bytes: int
    size: str
    pii_density: float
    throughput: dict[str, Throughput] = field(default_factory=dict)
    latency: dict[str, list[Latency]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def run_contender(name: str, report: RunReport, topics: Topics, offsets: OffsetReader,
                  workdir: Path, options: argparse.Namespace, workers: int = 1) -> None:
    """Drain the preloaded input, check outcomes, then the latency phases; failures are noted."""
    label = name if workers == 1 else f"{name}x{workers}"
    print(f"linerate: {label}: draining {report.events:,} events", file=sys.stderr)
    contender = Contender(name, topics, offsets.bootstrap, workdir, workers)
    try:
        result = measure_throughput(contender, offsets, report.events, report.bytes,
                                    options.timeout)
        result.outcomes_ok, result.outcomes = check_outcomes(contender, offsets, report.events)
        report.throughput[label] = result
        print(f"linerate: {label}: {result.eps:,.0f} ev/s, outcomes "
              f"{'ok' if result.outcomes_ok else 'WRONG'} {result.outcomes}", file=sys.stderr)
        if workers == 1 and name in options.latency_contenders:
            levels = [(load, min(load * result.eps, options.max_latency_rate))
                      for load in LOAD_LEVELS]
            run_latency_phases(contender, label, levels, report, offsets, options)
        result.cpu_s_total = contender.cpu_seconds()
        result.peak_rss_mb = contender.peak_rss_mb()
    except (RuntimeError, TimeoutError, OSError, KafkaException) as error:
        report.errors[label] = str(error)[-3000:]
        print(f"linerate: {label} FAILED: {error}", file=sys.stderr)
    finally:
        contender.stop()


def run_latency_phases(contender: Contender, label: str, levels: list[tuple[float, float]],
                       report: RunReport, offsets: OffsetReader,
                       options: argparse.Namespace) -> None:
    for load, rate in levels:
        options.phase += 1  # a new key space in every phase
        latency = measure_latency(contender, offsets, load, rate, options)
        report.latency.setdefault(label, []).append(latency)
        print(f"linerate: {label} @{load:.0%} ({rate:,.0f}/s): p50 {latency.p50_ms:.1f} ms, "
              f"p99 {latency.p99_ms:.1f} ms", file=sys.stderr)


def run_baseline_at_firewall_rates(report: RunReport, topics: Topics, offsets: OffsetReader,
                                   workdir: Path, options: argparse.Namespace) -> None:
    """Added latency compares equal loads: the aiokafka passthrough, restarted in its group (so
    it resumes at the end of its input), gets the firewall's fixed rates too."""
    if "aiokafka" not in report.latency or "firewall" not in report.latency:
        return
    levels = [(lat.load, lat.target_eps) for lat in report.latency["firewall"]]
    contender = Contender("aiokafka", topics, offsets.bootstrap, workdir)
    try:
        contender.wait_ready(60)
        run_latency_phases(contender, SAME_RATE_BASELINE, levels, report, offsets, options)
    except (RuntimeError, TimeoutError, OSError, KafkaException) as error:
        report.errors[SAME_RATE_BASELINE] = str(error)[-3000:]
    finally:
        contender.stop()


def run(options: argparse.Namespace, bootstrap: str, workdir: Path) -> RunReport:
    topics = Topics(f"linerate.{int(time.time())}.{os.getpid()}")
    scaled = [c for c in ("aiokafka", "firewall") if c in options.contenders]
    contenders = options.contenders + ([f"{c}x2" for c in scaled] if options.workers == 2 else [])
    names = [topics.input()] + [t for c in contenders for t in topics.of(c)]
    create_topics(bootstrap, names, append_time=[topics.sink(c) for c in contenders])
    offsets = OffsetReader(bootstrap)
    try:
        plan = SizePlan(None if options.size_dist else options.size)
        started = time.perf_counter()
        pool = pregenerate(options.events, seed=options.seed, pii_density=options.pii_density,
                           sizes=plan)
        print(f"linerate: generated {len(pool):,} events in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
        loaded = produce(bootstrap, topics.input(), pool, seed=options.seed,
                         progress=Progress("preload", len(pool)))
        del pool
        if loaded.failed or offsets.total(topics.input()) != options.events:
            raise RuntimeError(f"preload incomplete: {loaded}")
        report = RunReport(options.events, loaded.bytes, plan.describe(), options.pii_density)
        for name in options.contenders:
            run_contender(name, report, topics, offsets, workdir, options)
        run_baseline_at_firewall_rates(report, topics, offsets, workdir, options)
        for name in scaled if options.workers == 2 else []:
            run_contender(name, report, topics, offsets, workdir, options, workers=2)
        return report
    finally:
        offsets.close()
        if not options.keep_topics:
            delete_topics(bootstrap, names, prefix=f"{topics.prefix}.")


# --- report -------------------------------------------------------------------------------------


def as_json(report: RunReport) -> dict[str, Any]:
    """The issue's keys at the top level, everything measured underneath."""
    base = report.throughput.get("aiokafka")
    firewall = report.throughput.get("firewall")
    at_half = next((lat for lat in report.latency.get("firewall", []) if lat.load == 0.5), None)
    document: dict[str, Any] = {
        "events": report.events, "bytes": report.bytes, "size": report.size,
        "pii_density": report.pii_density,
        "passthrough_eps": base.eps if base else None,
        "firewall_eps": firewall.eps if firewall else None,
        "ratio": firewall.eps / base.eps if base and firewall else None,
        "p50_ms": at_half.p50_ms if at_half else None,
        "p99_ms": at_half.p99_ms if at_half else None,
        "p999_ms": at_half.p999_ms if at_half else None,
        "outcomes_ok": outcomes_ok(report),
        "contenders": {name: {**asdict(t), "ratio": t.eps / base.eps if base else None}
                       for name, t in report.throughput.items()},
        "latency": {name: [asdict(lat) for lat in runs] for name, runs in report.latency.items()},
        "added_latency_ms": added_latency(report),
        "errors": report.errors,
    }
    document.update({f"{name}_workers2_ratio": ratio for name, ratio in scaling(report).items()})
    document["workers2_ratio"] = document.get("firewall_workers2_ratio")
    return document


def without_nan(value: Any) -> Any:
    """NaN (a phase with no samples) as null: NaN is not JSON."""
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {key: without_nan(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_nan(item) for item in value]
    return value


def scaling(report: RunReport) -> dict[str, float]:
    """Throughput of two worker processes in one group relative to one."""
    one = report.throughput
    return {name: one[f"{name}x2"].eps / one[name].eps for name in ("aiokafka", "firewall")
            if name in one and f"{name}x2" in one}


def outcomes_ok(report: RunReport) -> bool:
    return not report.errors and all(t.outcomes_ok for t in report.throughput.values())


def added_latency(report: RunReport) -> dict[str, dict[str, float]]:
    """Firewall minus passthrough at the same fixed rate (else at the same share of own max)."""
    baseline = report.latency.get(SAME_RATE_BASELINE) or report.latency.get("aiokafka", [])
    added = {}
    for base, firewall in zip(baseline, report.latency.get("firewall", []), strict=False):
        added[f"{firewall.load:.0%}"] = {key: getattr(firewall, key) - getattr(base, key)
                                         for key in ("p50_ms", "p99_ms", "p999_ms")}
    return added


def print_tables(report: RunReport) -> None:
    base = report.throughput.get("aiokafka")
    print(f"\n{report.events:,} events, {report.bytes / 1e6:.1f} MB ({report.size}, "
          f"PI density {report.pii_density})")
    print(f"{'contender':<16} {'events/s':>9} {'MB/s':>6} {'ratio':>6} {'start s':>7} "
          f"{'CPU s':>6} {'CPU µs/ev':>9} {'RSS MB':>7}  outcomes")
    for name, t in report.throughput.items():
        ratio = f"{t.eps / base.eps:.2f}" if base else "-"
        print(f"{name:<16} {t.eps:>9,.0f} {t.mb_per_s:>6.1f} {ratio:>6} {t.startup_s:>7.1f} "
              f"{t.cpu_s_window:>6.2f} {t.cpu_us_per_event:>9.1f} {t.peak_rss_mb:>7.0f}  "
              f"{'ok' if t.outcomes_ok else 'WRONG'} {t.outcomes}")
    if report.latency:
        print(f"\n{'latency':<16} {'load':>4} {'target/s':>9} {'sent/s':>9} {'p50 ms':>7} "
              f"{'p99 ms':>7} {'p99.9 ms':>8} {'max ms':>7} {'samples':>8}")
    for name, runs in report.latency.items():
        for lat in runs:
            print(f"{name:<16} {lat.load:>4.0%} {lat.target_eps:>9,.0f} {lat.achieved_eps:>9,.0f} "
                  f"{lat.p50_ms:>7.1f} {lat.p99_ms:>7.1f} {lat.p999_ms:>8.1f} {lat.max_ms:>7.1f} "
                  f"{lat.samples:>8,}{'' if lat.drained else '  (not drained)'}")
    for load, figures in added_latency(report).items():
        print(f"{'added (c - a)':<16} {load:>4} {'':>9} {'':>9} {figures['p50_ms']:>7.1f} "
              f"{figures['p99_ms']:>7.1f} {figures['p999_ms']:>8.1f}")
    for name, factor in scaling(report).items():
        print(f"\n{name}: two worker processes / one: {factor:.2f}")
    for name, error in report.errors.items():
        print(f"\n{name} FAILED: {last_error_line(error)}")


def last_error_line(text: str) -> str:
    """The line naming the exception, from a message that may end in a worker's log tail."""
    lines = [line.strip() for line in ANSI_ESCAPE.sub("", text).splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "Exception" in line]
    return (errors or lines or ["?"])[-1]


# --- command line -------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m loadtest.linerate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, help="events to preload (200000; --quick: 3000)")
    parser.add_argument("--json", type=Path, help="write all figures to this file as one object")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP"),
                        help="reuse this broker (default: env KAFKA_BOOTSTRAP, else start one)")
    parser.add_argument("--kafka-port", type=int, default=HARNESS_KAFKA_PORT,
                        help="port of the broker started when none is given")
    parser.add_argument("--quick", action="store_true",
                        help="CI smoke run: few events, short latency phases")
    parser.add_argument("--workers", type=int, choices=[1, 2], default=1,
                        help="2: also run the firewall as two processes in one group")
    parser.add_argument("--contenders", type=lambda text: text.split(","),
                        default=["aiokafka", "confluent", "firewall"])
    parser.add_argument("--latency-contenders", type=lambda text: text.split(","),
                        default=["aiokafka", "firewall"])
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--size-dist", choices=["mixed"])
    parser.add_argument("--pii-density", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--latency-seconds", type=float, help="per load level (10; --quick: 2)")
    parser.add_argument("--timeout", type=float, default=600, help="per contender drain, seconds")
    parser.add_argument("--keep-topics", action="store_true")
    options = parser.parse_args(argv)
    unknown = set(options.contenders) - {*PASSTHROUGHS, "firewall"}
    if unknown:
        parser.error(f"unknown contenders {sorted(unknown)}")
    options.events = options.events or (3000 if options.quick else 200_000)
    options.latency_seconds = options.latency_seconds or (2.0 if options.quick else 10.0)
    options.warmup_seconds = 0.2 if options.quick else 1.0
    options.drain_timeout = 30.0
    options.pool = 2000 if options.quick else 20_000  # distinct events per latency phase
    # A smoke run's rates come from a few thousand events: too noisy to load a shared CI box with.
    options.max_latency_rate = 2000.0 if options.quick else float("inf")
    options.phase = 0
    return options


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    broker = Broker.reuse_or_start(options.bootstrap, options.kafka_port)
    try:
        with tempfile.TemporaryDirectory(prefix="linerate-") as workdir:
            report = run(options, broker.bootstrap, Path(workdir))
    finally:
        broker.stop_if_started_here()
    print_tables(report)
    document = as_json(report)
    if options.json:
        options.json.write_text(json.dumps(without_nan(document), indent=2) + "\n")
    if not document["outcomes_ok"]:
        print("linerate: a contender failed, or some events have no (or the wrong) outcome",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
