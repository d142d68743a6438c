"""Prometheus metrics. Database-backed gauges are read at scrape time.

Counters and histograms live in this process, or, when PROMETHEUS_MULTIPROC_DIR is set (by
`sahabat serve`, before its workers start), in files there that every worker writes: a scrape,
whichever worker answers it, then sums all workers (prometheus_client's multiprocess mode)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from prometheus_fastapi_instrumentator import Instrumentator
from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.models import Escalation, Outbox, utcnow

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
REGISTRY = CollectorRegistry(auto_describe=True)

MESSAGES_IN = Counter("sahabat_messages_in_total", "Inbound messages processed", ["channel"], registry=REGISTRY)
MESSAGES_OUT = Counter("sahabat_messages_out_total", "Replies produced", ["channel"], registry=REGISTRY)
DUPLICATES = Counter("sahabat_duplicates_total", "Redelivered messages ignored", ["channel"], registry=REGISTRY)
DELIVERY_FAILURES = Counter(
    "sahabat_delivery_failures_total", "Failed attempts to deliver a reply", ["channel"], registry=REGISTRY
)
NOTICES_UNSENT = Counter(
    "sahabat_notices_unsent_total", "Caseworker notices not sent: no notification target configured", ["event"],
    registry=REGISTRY,
)
CASES_REFUSED = Counter(
    "sahabat_cases_refused_total", "New cases not opened: the client was over its cap", ["channel", "category"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter("sahabat_rate_limited_total", "Requests refused with 429", ["channel", "scope"], registry=REGISTRY)
NLU_LATENCY = Histogram(
    "sahabat_nlu_latency_seconds",
    "Time to understand one message",
    ["backend"],
    buckets=(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    registry=REGISTRY,
)


def scrape_registries(app_metrics: CollectorRegistry) -> list[CollectorRegistry]:
    """What /metrics reports besides the database gauges: in multiprocess mode every worker's
    counters (this app's request metrics among them, from their files), else this process's."""
    path = os.environ.get(MULTIPROC_ENV)
    if not path:
        return [REGISTRY, app_metrics]
    merged = CollectorRegistry()
    multiprocess.MultiProcessCollector(merged, path)  # type: ignore[no-untyped-call]
    return [merged]


def instrument_requests(app: FastAPI) -> CollectorRegistry:
    """HTTP request counts, sizes and latencies per route template (never a raw path, which could
    hold an id), in a registry of the app's own: several apps share a process in tests."""
    registry = CollectorRegistry()
    Instrumentator(
        registry=registry, excluded_handlers=["^/metrics$", "^/healthz$", "^/readyz$"],
    ).instrument(app)
    return registry


def use_multiprocess_dir() -> Path | None:
    """Before the workers start: PROMETHEUS_MULTIPROC_DIR (a fresh temporary one unless it is set),
    emptied, since files from an earlier run would be counted again. Returns the temporary
    directory to remove when the server stops (None: the operator's own)."""
    given = os.environ.get(MULTIPROC_ENV)
    path = Path(given) if given else Path(tempfile.mkdtemp(prefix="sahabat-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.db"):
        old.unlink()
    os.environ[MULTIPROC_ENV] = str(path)
    return None if given else path


class DatabaseGauges(Collector):
    """Open escalations, outbox depth and the oldest unanswered emergency, read from the database
    when /metrics is scraped (so they agree across workers)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        open_esc = GaugeMetricFamily("sahabat_open_escalations", "Escalations not resolved", labels=["category"])
        depth = GaugeMetricFamily("sahabat_outbox_depth", "Replies waiting to be sent", labels=["channel"])
        oldest = GaugeMetricFamily(
            "sahabat_oldest_unanswered_emergency_seconds",
            "Age of the oldest open emergency no caseworker has answered yet (0: none)",
        )
        age = 0.0
        try:
            with self.db.session() as s:
                q = select(Escalation.category, func.count()).where(Escalation.status != "resolved")
                for category, n in s.execute(q.group_by(Escalation.category)):
                    open_esc.add_metric([category], n)
                q2 = select(Outbox.channel, func.count()).where(Outbox.status == "pending")
                for channel, n in s.execute(q2.group_by(Outbox.channel)):
                    depth.add_metric([channel], n)
                first = s.scalar(
                    select(func.min(Escalation.created_at)).where(
                        Escalation.priority == 0, Escalation.status != "resolved",
                        Escalation.first_response_at.is_(None),
                    )
                )
                if first is not None:
                    age = max(0.0, (utcnow() - first).total_seconds())
        except Exception:  # an unreachable database must not break the scrape of the other metrics
            pass
        oldest.add_metric([], age)
        yield open_esc
        yield depth
        yield oldest
