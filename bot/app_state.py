"""Build the long-lived parts once per process: database, NLU, flows, engine."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import notify
from bot.channels import registry
from bot.config import Settings
from bot.engine import Engine
from bot.knowledge.directory import use_content_dir
from bot.store.db import Database
from flows.registry import CONTRACTS, DYNAMIC_CHOICES
from flows.schema import FlowSet, load_flows
from nlu.base import NLU
from nlu.factory import build_nlu

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    nlu: NLU
    flows: FlowSet
    engine: Engine

    def warm_up(self) -> None:
        """Load what the first messages would otherwise load (content, gazetteer, offer lexicons, the
        NLU's arrays), so no early user waits for it and it can be frozen out of the collector."""
        from bot.knowledge.content import load_content, use_content_dir
        from bot.knowledge.offers import analyze_offer
        from bot.knowledge.places import gazetteer
        from flows.texts import find_country

        with use_content_dir(self.settings.content_dir):
            load_content()
            gazetteer().nearest(-8.58, 116.1)  # also builds its coordinate array
            find_country("malaysia")
            analyze_offer("gaji 5 juta, visa turis, bayar biaya proses")
        if self.nlu.name == "embedded":  # never wait on a remote Rasa at start-up
            self.nlu.parse("halo")

    def close(self) -> None:
        close = getattr(self.nlu, "close", None)
        if callable(close):
            close()
        self.db.dispose()


def build_runtime(settings: Settings, *, nlu: NLU | None = None, migrate: bool = True) -> Runtime:
    settings.check_production()
    with use_content_dir(settings.content_dir):  # flow texts in the languages that content lists
        flows = load_flows(settings.flows_dir, CONTRACTS, set(DYNAMIC_CHOICES))  # fails fast, naming file and step
    db = Database(settings.database_url)
    notify.subscribe(db.events, settings)  # emergencies -> the caseworkers' notices
    if migrate:
        db.upgrade()
    nlu = nlu or build_nlu(settings)
    engine = Engine(
        db,
        nlu,
        flows,
        max_text_chars=settings.max_text_chars,
        targets=(settings.target_emergency_minutes, settings.target_normal_hours),
        content_dir=settings.content_dir,
        strict_contracts=not settings.is_production,
        delete_windows={
            c.name: c.capabilities.delete_window for c in registry.channels() if c.capabilities.delete_window
        },
    )
    return Runtime(settings, db, nlu, flows, engine)
