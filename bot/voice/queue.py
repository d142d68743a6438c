"""Voice notes kept in the database from the moment they are acknowledged until their turn is stored.

The webhook answers at once (a transcription takes seconds and Telegram and Twilio would re-send), so
the note must survive a process that stops before it is heard. `enqueue` stores the channel's update
with a lease; the process that stored it hears it and deletes the row after the turn is stored; a lease
that runs out (the process died) lets the sweeper of any process hear it again. A re-delivered copy of
the same message is refused here, before anything is downloaded or transcribed.

Channels register how to hear their own stored updates (`register`), so this module never imports one."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from bot.store import repo
from bot.store.db import Database
from bot.store.models import PendingNote, utcnow
from bot.voice import tasks

log = logging.getLogger(__name__)

LEASE_S = 60.0  # renewed every RENEW_S while the note is being heard; a dead process's runs out
RENEW_S = 20.0
SWEEP_S = 10.0
MAX_ATTEMPTS = 5  # a note that failed this often gets "could not open it" instead of being tried forever

Hearer = Callable[[Any, "NoteJob"], Awaitable[None]]
_HEARERS: dict[str, Hearer] = {}


@dataclass(frozen=True, slots=True)
class NoteJob:
    id: int
    channel: str
    body: dict[str, Any]
    attempts: int

    @property
    def last_try(self) -> bool:
        return self.attempts >= MAX_ATTEMPTS


def register(channel: str, hearer: Hearer) -> None:
    """`hearer(app, job)` hears a stored note of `channel` and stores its turn (raises if it could not)."""
    _HEARERS[channel] = hearer


def enqueue(db: Database, channel: str, message_id: str, chat_id: str, body: dict[str, Any]) -> NoteJob | None:
    """Store a note before it is acknowledged; None when this message is known already (queued or
    handled): a re-delivery, which must not be transcribed twice."""
    with db.session() as s:
        if repo.seen_message(s, channel, message_id):
            return None
        row = PendingNote(
            channel=channel, channel_message_id=message_id, chat_id=chat_id, body=body, attempts=1,
            lease_until=utcnow() + timedelta(seconds=LEASE_S),
        )
        try:
            with s.begin_nested():
                s.add(row)
                s.flush()
        except IntegrityError:
            return None
        return NoteJob(row.id, channel, body, 1)


def claim_expired(db: Database, limit: int = 8) -> list[NoteJob]:
    """Notes whose lease ran out (their process stopped), each won by one process only."""
    now = utcnow()
    with db.session() as s:
        rows = s.execute(
            select(PendingNote.id, PendingNote.channel, PendingNote.body, PendingNote.attempts)
            .where(PendingNote.lease_until <= now, PendingNote.channel.in_(list(_HEARERS)))
            .order_by(PendingNote.id)
            .limit(limit)
        ).all()
        won = []
        for r in rows:
            res = s.execute(
                update(PendingNote)
                .where(PendingNote.id == r.id, PendingNote.lease_until <= now)
                .values(lease_until=now + timedelta(seconds=LEASE_S), attempts=PendingNote.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if res.rowcount == 1:  # type: ignore[attr-defined]
                won.append(NoteJob(r.id, r.channel, dict(r.body or {}), r.attempts + 1))
    return won


def renew(db: Database, note_id: int) -> None:
    with db.session() as s:
        s.execute(
            update(PendingNote)
            .where(PendingNote.id == note_id)
            .values(lease_until=utcnow() + timedelta(seconds=LEASE_S))
            .execution_options(synchronize_session=False)
        )


def done(db: Database, note_id: int) -> None:
    with db.session() as s:
        s.execute(delete(PendingNote).where(PendingNote.id == note_id))


@contextlib.asynccontextmanager
async def _leased(db: Database, note_id: int) -> AsyncIterator[None]:
    async def keep() -> None:
        while True:
            await asyncio.sleep(RENEW_S)
            with contextlib.suppress(Exception):  # the database may be down: the lease then runs out
                await run_in_threadpool(renew, db, note_id)

    keeper = asyncio.create_task(keep())
    try:
        yield
    finally:
        keeper.cancel()


async def hear_job(app: Any, job: NoteJob) -> None:
    """Hear one stored note and delete it once its turn is stored; on failure it stays for a retry."""
    db: Database = app.state.runtime.db
    hearer = _HEARERS.get(job.channel)
    if hearer is None:
        return
    try:
        async with _leased(db, job.id):
            await hearer(app, job)
        await run_in_threadpool(done, db, job.id)
    except Exception as exc:  # e.g. the database went away mid-turn: the lease runs out, it is heard again
        log.warning("voice note %d not stored yet (attempt %d): %s", job.id, job.attempts, type(exc).__name__)


def start(app: Any, job: NoteJob) -> None:
    tasks.spawn(hear_job(app, job))


async def sweep(app: Any) -> None:
    """Until cancelled: hear the notes a stopped process left (at start, then every SWEEP_S)."""
    db: Database = app.state.runtime.db
    while True:
        try:
            for job in await run_in_threadpool(claim_expired, db):
                start(app, job)
        except Exception as exc:  # the database is down: next round
            log.warning("voice sweep failed: %s", type(exc).__name__)
        await asyncio.sleep(SWEEP_S)
