"""A turn's one transaction, run again when the database asks for it, and at most once per
channel message id."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.util.concurrency import await_, in_greenlet

from bot import metrics
from bot.messages import Inbound, Reply
from bot.store.db import Database


class Duplicate(Exception):
    """Raised by the work: this channel message id is stored already (nothing of it runs again)."""


def run_once(db: Database, msg: Inbound, work: Callable[[Session], list[Reply]]) -> list[Reply]:
    for attempt in range(3):
        try:
            with db.session() as s:
                return work(s)
        except Duplicate:
            metrics.DUPLICATES.labels(msg.channel).inc()
            return []
        except IntegrityError:
            if msg.message_id is None:
                raise
            # The same channel message id stored by a concurrent delivery: it is a duplicate.
            metrics.DUPLICATES.labels(msg.channel).inc()
            return []
        except StaleDataError:  # another worker moved this conversation on; run again on its state
            if attempt == 2:
                raise
            _pause(0.01 * (attempt + 1))
        except DBAPIError as exc:
            # A pooled connection the database server dropped (restart, outage): the pool has
            # discarded it, so one more try runs on a fresh connection. Nothing was committed.
            if not exc.connection_invalidated or attempt == 2:
                raise
    return []


def _pause(seconds: float) -> None:
    """Wait before trying again, without holding the event loop when run by Database.run_sync."""
    if in_greenlet():
        await_(asyncio.sleep(seconds))
    else:
        time.sleep(seconds)
