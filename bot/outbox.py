"""Deliver stored replies: retries with back-off, per-chat order, and nothing lost across restarts.

Every reply is written to the `outbox` table in the same transaction as the message it answers
(`Engine.handle(..., enqueue=True)`, `send_from_caseworker`). One `OutboxSender` task per process
claims due rows and hands them to the channel adapters, which render and send them.

Row life: pending -> sent | failed | template. `template` (a channel with a session window, such as
WhatsApp's 24 hours) means the window was closed: a template went out instead and the real message
waits until the person writes again.
Per-chat order: a row is only claimed when no earlier row of the same contact is still pending or
held, so row N+1 never overtakes row N; a row that gave up (`failed`) no longer blocks the chat.
A claimed row gets a lease (`next_attempt_at` moves into the future), so another process does not
take it, and a process that dies mid-send only delays it by the lease."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from bot.channels import registry
from bot.config import Settings
from bot.delivery import ChannelAdapter, PermanentFailure, TemporaryFailure
from bot.knowledge.directory import use_content_dir
from bot.messages import Reply
from bot.metrics import DELIVERY_FAILURES
from bot.replies import split_long
from bot.store import repo
from bot.store.db import Database
from bot.store.models import Contact, Message, Outbox, utcnow

log = logging.getLogger(__name__)

UNFINISHED = ("pending", "template")
_RUNNING: weakref.WeakSet[OutboxSender] = weakref.WeakSet()


# -- what other parts of the app call ---------------------------------------------------------------
def send_from_caseworker(s: Session, contact: Contact, text: str) -> Outbox:
    """Store a caseworker's reply as a message and queue it for the contact's chat (the caller commits,
    then calls `wake()`). A text longer than one chat message becomes several rows; the last is returned."""
    parts = split_long([Reply(text)])
    rows = repo.enqueue_replies(s, contact, [r.as_dict() for r in parts], sender="caseworker")
    repo.add_message(s, contact, "out", text, sender="caseworker", meta={"outbox_id": rows[-1].id})
    return rows[-1]


def wake() -> None:
    """Tell every running sender in this process to look for new rows now (thread-safe)."""
    for sender in list(_RUNNING):
        sender.wake()


def build_adapters(settings: Settings) -> dict[str, ChannelAdapter]:
    """A sender for every registered channel that has one and whose credentials are configured
    (caseworker notices included: channel "notify")."""
    return {
        spec.name: spec.sender(settings)
        for spec in registry.channels()
        if spec.sender is not None and spec.enabled(settings)
    }


async def start_sender(runtime: Any) -> OutboxSender:
    """The sender for a FastAPI lifespan (or a CLI command): started when enabled and a channel is set.

    Caseworker notices are outbox rows of channel "notify", delivered by `NotifyAdapter` like any reply."""
    st = runtime.settings
    sender = OutboxSender(runtime.db, build_adapters(st), Policy.from_settings(st))
    if st.outbox_enabled:
        with use_content_dir(st.content_dir):  # the sender's task renders in the languages content lists
            await sender.start()
    return sender


@dataclass
class Policy:
    max_attempts: int = 10
    backoff_base_s: float = 2.0
    backoff_max_s: float = 600.0
    lease_s: float = 60.0
    poll_s: float = 1.0
    concurrency: int = 8
    gather_s: float = 0.005

    @classmethod
    def from_settings(cls, st: Settings) -> Policy:
        return cls(
            st.outbox_max_attempts,
            st.outbox_backoff_base_s,
            st.outbox_backoff_max_s,
            st.outbox_lease_s,
            st.outbox_poll_s,
            st.outbox_concurrency,
        )

    def backoff(self, attempts: int) -> float:
        """Exponential with jitter: half fixed, half random, so retries of many rows spread out."""
        ceiling: float = min(self.backoff_max_s, self.backoff_base_s * 2 ** max(attempts - 1, 0))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


@dataclass
class _Job:
    id: int
    channel: str
    payload: dict[str, Any]
    attempts: int


class OutboxSender:
    """One background task per process; `drain_once()` is one claim-and-send round (tests use it)."""

    def __init__(
        self,
        db: Database,
        adapters: dict[str, ChannelAdapter],
        policy: Policy,
        jobs: list[Callable[[], int]] | None = None,
    ) -> None:
        self.db = db
        self.adapters = adapters
        self.policy = policy
        self.jobs = list(jobs or [])  # blocking callables run each round in a thread; return work done
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._event: asyncio.Event | None = None
        self._stopping = False
        self.sent = 0
        self.failed = 0
        self._finished: list[tuple[int, bool, list[str]]] = []
        self._next_release = 0.0
        self._marking: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        if self._task is not None or not (self.adapters or self.jobs):
            return
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="outbox-sender")
        _RUNNING.add(self)

    async def stop(self, timeout: float = 10.0) -> None:
        """Let the round in flight finish (bounded), then close the channel clients."""
        _RUNNING.discard(self)
        self._stopping = True
        if self._task is not None:
            self.wake()
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            except (TimeoutError, asyncio.CancelledError):
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self._task
            self._task = None
        for adapter in self.adapters.values():
            with contextlib.suppress(Exception):
                await adapter.close()

    def wake(self) -> None:
        loop, event = self._loop, self._event
        if loop is None or event is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    async def _run(self) -> None:
        assert self._event is not None
        while not self._stopping:
            try:
                n = await self.drain_once()
            except Exception as exc:  # the database may be down: keep the task alive, try again later
                log.warning("outbox round failed: %s", type(exc).__name__)
                n = 0
            if n or self._stopping:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), self.policy.poll_s)
            # Under load many messages wake the sender at once: a moment's pause lets one round
            # claim them all instead of one round (and transaction) each.
            await asyncio.sleep(self.policy.gather_s)
            self._event.clear()

    # -- one round -------------------------------------------------------------------------------
    async def drain_once(self) -> int:
        """Claim the due rows (at most one per chat) and send them; how many were attempted."""
        extra = 0
        for job in self.jobs:
            try:
                extra += await asyncio.to_thread(job)
            except Exception as exc:
                log.warning("outbox side job failed: %s", type(exc).__name__)
        jobs = await asyncio.to_thread(self._claim) if self.adapters else []
        if not jobs:
            return extra
        limit = asyncio.Semaphore(self.policy.concurrency)

        async def one(job: _Job) -> None:
            async with limit:
                await self._send(job)

        await asyncio.gather(*(one(j) for j in jobs))
        await self._settled()
        return len(jobs) + extra

    def _claim(self) -> list[_Job]:
        now = utcnow()
        channels = list(self.adapters)
        earlier = aliased(Outbox)
        blocked = exists().where(
            and_(
                earlier.contact_id == Outbox.contact_id,
                earlier.id < Outbox.id,
                earlier.status.in_(UNFINISHED),
            )
        )
        with self.db.session() as s:
            if time.monotonic() >= self._next_release:  # a write; once a second is soon enough
                self._release_held(s)
                self._next_release = time.monotonic() + 1.0
            q = (
                select(Outbox.id)
                .where(
                    Outbox.status == "pending",
                    Outbox.next_attempt_at <= now,
                    Outbox.channel.in_(channels),
                    ~blocked,
                )
                .order_by(Outbox.id)
                .limit(self.policy.concurrency * 4)
            )
            if not self.db.is_sqlite:
                q = q.with_for_update(skip_locked=True, of=Outbox)
            ids = list(s.scalars(q))
            if not ids:
                return []
            # Conditional update: with several processes on SQLite only one wins a row.
            claimed = s.execute(
                update(Outbox)
                .where(Outbox.id.in_(ids), Outbox.status == "pending", Outbox.next_attempt_at <= now)
                .values(attempts=Outbox.attempts + 1, next_attempt_at=now + timedelta(seconds=self.policy.lease_s))
                .returning(Outbox.id, Outbox.channel, Outbox.payload, Outbox.contact_id, Outbox.attempts)
                .execution_options(synchronize_session=False)
            ).all()
            context = self._context(s, {r.contact_id for r in claimed if r.contact_id is not None})
            jobs = []
            for r in sorted(claimed, key=lambda r: r.id):
                payload = {**(r.payload or {}), "outbox_id": r.id}
                if r.contact_id in context:
                    lang, last_in = context[r.contact_id]
                    payload.setdefault("lang", lang)
                    payload["last_inbound_at"] = last_in.isoformat() if last_in else None
                jobs.append(_Job(r.id, r.channel, payload, r.attempts))
        return jobs

    @staticmethod
    def _release_held(s: Session) -> None:
        """A row held for a template goes out once the person has written again (window reopened)."""
        wrote_since = exists().where(
            Message.contact_id == Outbox.contact_id,
            Message.direction == "in",
            Message.created_at > Outbox.next_attempt_at,
        )
        s.execute(
            update(Outbox)
            .where(Outbox.status == "template", wrote_since)
            .values(status="pending", next_attempt_at=utcnow())
            .execution_options(synchronize_session=False)
        )

    @staticmethod
    def _context(s: Session, contact_ids: set[int]) -> dict[int, tuple[str, Any]]:
        """What rendering needs per contact: its language and when it last wrote (WhatsApp's window)."""
        if not contact_ids:
            return {}
        langs = dict(s.execute(select(Contact.id, Contact.language).where(Contact.id.in_(contact_ids))).all())
        last_in = dict(
            s.execute(
                select(Message.contact_id, func.max(Message.created_at))
                .where(Message.contact_id.in_(contact_ids), Message.direction == "in")
                .group_by(Message.contact_id)
            ).all()
        )
        return {cid: (lang, last_in.get(cid)) for cid, lang in langs.items()}

    async def _send(self, job: _Job) -> None:
        adapter = self.adapters[job.channel]
        payload = job.payload
        done = int(payload.get("parts_sent") or 0)
        ids: list[str] = list(payload.get("provider_ids") or [])
        try:
            parts = adapter.render(payload)
            for i in range(done, len(parts)):
                ids.append(await adapter.deliver(parts[i]))
                done = i + 1
                if done < len(parts):  # remember progress, so a retry does not repeat a part
                    await asyncio.to_thread(self._progress, job.id, done, ids)
        except TemporaryFailure as exc:
            DELIVERY_FAILURES.labels(job.channel).inc()
            await asyncio.to_thread(self._retry_later, job, exc, done, ids)
            return
        except PermanentFailure as exc:
            DELIVERY_FAILURES.labels(job.channel).inc()
            await asyncio.to_thread(self._give_up, job, exc.reason, done, ids)
            return
        except asyncio.CancelledError:  # shutting down mid-send: free the row for the next process now
            self._release(job.id, done, ids)
            raise
        except Exception as exc:  # a bug or an unexpected library error: retry like a temporary one
            log.warning("outbox row %s: unexpected %s", job.id, type(exc).__name__)
            DELIVERY_FAILURES.labels(job.channel).inc()
            err = TemporaryFailure(type(exc).__name__)
            await asyncio.to_thread(self._retry_later, job, err, done, ids)
            return
        held = any(p.kind == "template" for p in parts)
        await self._mark_finished(job.id, held, ids)

    async def _mark_finished(self, row_id: int, held: bool, ids: list[str]) -> None:
        """Queue the row to be marked sent. Rows that finish while a write is under way share the next
        one (one transaction for many rows under load, at once when quiet); a crash before the write
        only means those rows go out again after their lease."""
        self._finished.append((row_id, held, ids))
        if self._marking is None or self._marking.done():
            self._marking = asyncio.create_task(self._write_finished())

    async def _write_finished(self) -> None:
        while self._finished:
            batch, self._finished = self._finished, []
            try:
                await asyncio.to_thread(self._finish_many, batch)
            except Exception as exc:  # the database is down: the leases run out and the rows are retried
                log.warning("outbox: marking %d rows sent failed: %s", len(batch), type(exc).__name__)

    async def _settled(self) -> None:
        """Wait until every finished row of this round is written."""
        while self._marking is not None and not self._marking.done():
            await asyncio.shield(self._marking)

    # -- bookkeeping (threads) -------------------------------------------------------------------
    def _update_payload(self, s: Session, row_id: int, **fields: Any) -> Outbox | None:
        q = select(Outbox).where(Outbox.id == row_id)
        if not self.db.is_sqlite:
            q = q.with_for_update()  # a delivery-status callback may write the same payload
        row = s.scalars(q).first()
        if row is not None:
            row.payload = {**(row.payload or {}), **fields}
        return row

    def _progress(self, row_id: int, done: int, ids: list[str]) -> None:
        with self.db.session() as s:
            self._update_payload(s, row_id, parts_sent=done, provider_ids=ids)

    def _release(self, row_id: int, done: int, ids: list[str]) -> None:
        with contextlib.suppress(Exception), self.db.session() as s:
            row = self._update_payload(s, row_id, parts_sent=done, provider_ids=ids)
            if row is not None and row.status == "pending":
                row.next_attempt_at = utcnow()

    def _finish_many(self, batch: list[tuple[int, bool, list[str]]]) -> None:
        now = utcnow()
        with self.db.session() as s:
            q = select(Outbox).where(Outbox.id.in_([row_id for row_id, _, _ in batch]))
            if not self.db.is_sqlite:
                q = q.with_for_update()  # a delivery-status callback may write the same payload
            rows = {row.id: row for row in s.scalars(q)}
            for row_id, held, ids in batch:
                row = rows.get(row_id)
                if row is None:
                    continue
                if held:
                    row.payload = {**(row.payload or {}), "parts_sent": 0, "provider_ids": [],
                                   "template_sids": ids, "template_sent_at": now.isoformat()}
                    # `next_attempt_at` marks when it was held; an inbound message after it releases it.
                    row.status, row.next_attempt_at, row.last_error = "template", now, None
                elif (row.payload or {}).get("forget_after_send"):
                    s.delete(row)  # the answer to an erasure: once delivered, nothing names the chat
                    s.info["erased"] = True
                else:
                    row.payload = {**(row.payload or {}), "parts_sent": 0, "provider_ids": ids}
                    row.status, row.sent_at, row.last_error = "sent", now, None
        self.sent += len(batch)

    def _retry_later(self, job: _Job, exc: TemporaryFailure, done: int, ids: list[str]) -> None:
        with self.db.session() as s:
            row = self._update_payload(s, job.id, parts_sent=done, provider_ids=ids)
            if row is None:
                return
            row.last_error = exc.reason[:255]
            if job.attempts >= self.policy.max_attempts:
                row.status = "failed"
                self.failed += 1
                log.warning("outbox row %s failed after %d attempts: %s", job.id, job.attempts, exc.reason)
                return
            delay = self.policy.backoff(job.attempts)
            if exc.retry_after is not None:  # the provider said when: wait that long, plus a little
                delay = max(delay, exc.retry_after + random.uniform(0, 0.1 * self.policy.backoff_base_s))
            row.next_attempt_at = utcnow() + timedelta(seconds=delay)

    def _give_up(self, job: _Job, reason: str, done: int, ids: list[str]) -> None:
        with self.db.session() as s:
            row = self._update_payload(s, job.id, parts_sent=done, provider_ids=ids)
            if row is not None:
                row.status, row.last_error = "failed", reason[:255]
        self.failed += 1
        log.warning("outbox row %s failed: %s", job.id, reason)


def purge_finished(db: Database, days: int, now: Any = None) -> int:
    """Delete sent and failed rows older than `days` (SAHABAT_OUTBOX_RETENTION_DAYS): each names its
    chat (a phone number on WhatsApp) and quotes the reply. Run hourly by the server."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    with db.session() as s:
        res = s.execute(
            delete(Outbox)
            .where(
                ((Outbox.status == "sent") & (Outbox.sent_at < cutoff))
                | ((Outbox.status == "failed") & (Outbox.created_at < cutoff))
            )
            .execution_options(synchronize_session=False)
        )
        n = int(res.rowcount or 0)  # type: ignore[attr-defined]
        if n:
            s.info["erased"] = True
    return n


def pending_count(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "pending")) or 0)
