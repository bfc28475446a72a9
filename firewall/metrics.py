"""Every metric the worker exports, declared once against an injected registry.

Names follow Prometheus conventions (base units, ``_total``); labels are bounded sets — actions,
reason codes, entity ids, destinations from config — never PI, subject ids or JSONPaths.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info

_PREFIX = "pii_firewall"


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None):
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.events = Counter(
            f"{_PREFIX}_events",
            "Events decided, by action and destination.",
            ["action", "destination"],
            registry=r,
        )
        self.reasons = Counter(f"{_PREFIX}_decision_reasons", "Decision reasons.", ["reason"], registry=r)
        self.findings = Counter(f"{_PREFIX}_findings", "Entities found.", ["entity", "sensitive"], registry=r)
        self.bytes_scanned = Counter(
            f"{_PREFIX}_scanned_bytes", "Payload bytes scanned.", ["topic"], registry=r
        )
        self.errors = Counter(
            f"{_PREFIX}_errors", "Errors by kind and stage.", ["error_type", "stage"], registry=r
        )
        self.batch_seconds = Histogram(
            f"{_PREFIX}_batch_process_seconds",
            "Time to detect and decide one batch.",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0),
            registry=r,
        )
        self.batch_events = Histogram(
            f"{_PREFIX}_batch_events",
            "Events per consumed batch.",
            buckets=(1, 10, 50, 100, 250, 500, 1000, 2000, 5000),
            registry=r,
        )
        self.added_latency = Histogram(
            f"{_PREFIX}_added_latency_seconds",
            "From consuming an event to its outputs being acknowledged.",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0),
            registry=r,
        )
        self.ready = Gauge(f"{_PREFIX}_ready", "1 when partitions are assigned and rules loaded.", registry=r)
        self.versions = Info(f"{_PREFIX}_rules", "Loaded rule pack and policy versions.", registry=r)
