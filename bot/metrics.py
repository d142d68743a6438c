"""Prometheus metrics. Counters are per process; database-backed gauges are read at scrape time."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from bot.store.db import Database
from bot.store.models import Escalation, Outbox

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


class DatabaseGauges(Collector):
    """Open escalations and outbox depth, read from the database when /metrics is scraped."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def collect(self) -> Iterator[GaugeMetricFamily]:
        open_esc = GaugeMetricFamily("sahabat_open_escalations", "Escalations not resolved", labels=["category"])
        depth = GaugeMetricFamily("sahabat_outbox_depth", "Replies waiting to be sent", labels=["channel"])
        try:
            with self.db.session() as s:
                q = select(Escalation.category, func.count()).where(Escalation.status != "resolved")
                for category, n in s.execute(q.group_by(Escalation.category)):
                    open_esc.add_metric([category], n)
                q2 = select(Outbox.channel, func.count()).where(Outbox.status == "pending")
                for channel, n in s.execute(q2.group_by(Outbox.channel)):
                    depth.add_metric([channel], n)
        except Exception:  # an unreachable database must not break the scrape of the other metrics
            pass
        yield open_esc
        yield depth
