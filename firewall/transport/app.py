"""The Faust application: hosts the hot path as a task and serves /metrics, /healthz, /readyz.

Faust keeps what it is good at — the app model, web endpoints and, later, changelog-backed tables for
consent and cross-border volumes fed by low-volume agents. Egress events never pass through a Faust
stream: Faust's per-event machinery moves ~2k events/s here against ~55k for a batched aiokafka loop.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

import faust
from faust.app.base import BootStrategy
from prometheus_client import generate_latest

from firewall.config import Settings
from firewall.metrics import Metrics
from firewall.pipeline import Firewall
from firewall.transport.hotpath import HotPath

log = logging.getLogger("pii_firewall.app")


class ConsumerOnDemand(BootStrategy):
    """Starts Faust's consumer side only when something in the app reads through Faust.

    Egress events are read by the hot path's own consumer. With no agent and no table, Faust's
    consumer would still join a group of its own, run a fetch loop in a thread with its own event
    loop, and keep an assignor and a reply consumer: CPU spent on topics nobody reads. Declaring an
    agent or a table (consent, cross-border volumes) turns all of it back on, unchanged.
    """

    @property  # read when the worker starts, after every agent and table is declared
    def enable_kafka_consumer(self) -> bool:  # type: ignore[override]
        return len(self.app.agents) > 0 or len(self.app.tables) > 0


class FirewallApp(faust.App):
    BootStrategy = ConsumerOnDemand


def create_app(
    settings: Settings, firewall: Firewall | None = None, metrics: Metrics | None = None
) -> tuple[faust.App, HotPath]:
    firewall = firewall or Firewall.from_files(
        settings.patterns_dir, settings.resolved_policy_file, settings.hotpath.max_payload_bytes
    )
    metrics = metrics or Metrics()
    metrics.versions.info(firewall.versions)
    app_id = f"{settings.kafka.group_id}-control"  # never the hot path's consumer group
    app = FirewallApp(
        app_id,
        broker=[f"kafka://{server}" for server in settings.kafka.bootstrap_servers.split(",")],
        web_enabled=settings.web.enabled,
        web_host=settings.web.host,
        web_port=settings.web.port,
        web_bind=settings.web.host,
        datadir=Path(tempfile.gettempdir()) / f"pii-firewall-{app_id}",
        topic_partitions=4,
        topic_allow_declare=True,
    )
    hot_path = HotPath(settings, firewall, metrics)

    @app.task
    async def run_hot_path() -> None:
        await hot_path.run()

    @app.page("/metrics")
    async def metrics_page(web: Any, request: Any) -> Any:
        # aiohttp refuses a charset inside content_type; the exposition format is UTF-8 anyway.
        return web.bytes(generate_latest(metrics.registry), content_type="text/plain; version=0.0.4")

    @app.page("/healthz")
    async def healthz(web: Any, request: Any) -> Any:
        return web.json({"status": "ok", "processed": hot_path.processed})

    @app.page("/readyz")
    async def readyz(web: Any, request: Any) -> Any:
        ready = hot_path.assigned
        return web.json({"ready": ready, **firewall.versions}, status=200 if ready else 503)

    return app, hot_path
