"""Database handle: engine, sessions, and Alembic migrations applied from the package.

On PostgreSQL there are two engines on one URL: the sync one (threads, migrations, CLI) and an
asyncio one (psycopg 3's async driver). Code run by `run_sync` (bot/dispatch.py does it for chat
turns) is still plain sync SQLAlchemy, but inside a greenlet whose every round trip awaits on the
event loop: `session()` then hands out sessions of the asyncio engine, so a stalled connection
parks only its own turn, never the worker's loop."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor, ExceptionContext, ExecutionContext
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.util.concurrency import greenlet_spawn, in_greenlet

from bot.events import Hub

MIGRATIONS = Path(__file__).parent / "migrations"
# What a cursor executes with: one row's values (a mapping or a tuple) or a list of rows.
Params = Mapping[str, Any] | Sequence[Any]
T = TypeVar("T")


def normalise_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # The server checkpoints the WAL in the background every second (Database.checkpoint); a commit
    # only checkpoints itself, stalling its request, if the WAL has grown past ~40 MB meanwhile.
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    # Deleted rows (an erasure, a purged outbox row, an overwritten flow state) are zeroed on disk,
    # not left in free space where a copy of the file would still show them.
    cur.execute("PRAGMA secure_delete=ON")
    cur.close()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# json.dumps writes them as \u00XX (\b and \f too, but a false hit only costs a second pass).
_JSON_CONTROL = re.compile(r"\\u00(?:0[0-8bcef]|1[0-9a-f]|7f)|\\[bf]")


def _clean(value: object) -> object:
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub("", value)
    return value


def _strip_control(
    conn: Connection,
    cursor: DBAPICursor,
    statement: str,
    parameters: Params,
    context: ExecutionContext | None,
    _executemany: bool,
) -> tuple[str, object]:
    """NUL and other control characters never reach the database, whichever route text takes (chat,
    console notes, login names, JSON): PostgreSQL refuses NUL in text, and they carry no meaning.
    Parameters come as a dict or tuple, a list of them (executemany) or one flat batch
    (insertmanyvalues): walked generically."""
    if not parameters:
        return statement, parameters
    # One regex pass over all strings joined: the usual case (nothing to strip) costs a few µs.
    if not _CONTROL.search("".join(_strings(parameters))):
        return statement, parameters
    return statement, _clean_params(parameters)


def _strings(p: Params) -> list[str]:
    values: Iterable[object] = p.values() if isinstance(p, dict) else p
    out: list[str] = []
    for v in values:
        if type(v) is str:
            out.append(v)
        elif isinstance(v, dict | list | tuple):
            out += _strings(v)
    return out


def _clean_params(p: object) -> object:
    if isinstance(p, str):
        return _clean(p)
    if isinstance(p, dict):
        return {k: _clean_params(v) for k, v in p.items()}
    if isinstance(p, list | tuple):
        return type(p)(_clean_params(v) for v in p)
    return p


def _json_dumps(value: object) -> str:
    """JSON columns are serialised before the hook above sees them: clean their strings first
    (only when the serialised text shows an escaped control character)."""
    out = json.dumps(value)
    return json.dumps(_clean_json(value)) if _JSON_CONTROL.search(out) else out


def _clean_json(value: object) -> object:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return {_clean(k): _clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean_json(v) for v in value]
    return value


class Database:
    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
        else:
            # No ping before each checkout on the turns' engine (a round trip on every message): a
            # connection the server dropped fails once, is invalidated by the pool, and the engine runs
            # the turn again.
            kwargs.update(pool_size=10, max_overflow=10)
            # A database that stops answering must fail within seconds rather than hold a turn (or a
            # thread) for long, whether it refuses, vanishes or stalls.
            kwargs["connect_args"] = {
                "connect_timeout": 3,
                "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 3, "keepalives_count": 3,
                "tcp_user_timeout": 10_000,  # ms: unacknowledged data on a dead link
                # ... and a server that is up but stuck (a lock held elsewhere) answers with an error.
                "options": "-c statement_timeout=15000 -c lock_timeout=10000",
            }
        self.engine: Engine = create_engine(self.url, json_serializer=_json_dumps, **kwargs)
        event.listen(self.engine, "before_cursor_execute", _strip_control, retval=True)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.events = Hub()  # what the store announces (bot/events.py); subscribers: bot/app_state.py
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, info={"events": self.events})
        # SQLite is a local file: its calls stay inline (a thread or greenlet hop costs more than they do).
        self.async_engine: AsyncEngine | None = None
        self._async_sessions: sessionmaker[Session] | None = None
        if not self.is_sqlite:
            self.async_engine = create_async_engine(self.url, json_serializer=_json_dumps, **kwargs)
            event.listen(self.async_engine.sync_engine, "before_cursor_execute", _strip_control, retval=True)
            self._async_sessions = sessionmaker(
                self.async_engine.sync_engine, expire_on_commit=False, info={"events": self.events}
            )
            event.listen(self.async_engine.sync_engine, "handle_error", self._server_dropped)
        self._writer: AbstractContextManager[object] = threading.RLock() if self.is_sqlite else nullcontext()
        self.scrub_pending = False  # an erasure committed; the WAL still holds the erased rows' pages

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any error. A unit that erased someone's
        data (`s.info["erased"]`, bot/store/erase.py) then scrubs the SQLite WAL.

        On SQLite, which has one writer at a time, a process's units of work queue on a lock instead
        of spinning in SQLite's busy-wait, which is what makes tail latency explode under load."""
        # Inside run_sync (a greenlet the event loop drives): the asyncio engine's connections.
        sessions = self._async_sessions if self._async_sessions is not None and in_greenlet() else self.sessions
        with self._writer, sessions() as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise
            erased = s.info.pop("erased", False)
        if erased and self.is_sqlite:
            self.scrub_pending = True
            self.checkpoint()

    def _server_dropped(self, context: ExceptionContext) -> None:
        """The turns' pool lost a connection (a restart, an outage): the threads' pool (outbox, console,
        follow-ups) holds connections of the same server, so it starts afresh too rather than fail
        once on each of them."""
        if context.is_disconnect:
            self.engine.dispose(close=False)  # the old connections are dead: dropped, not closed

    async def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` (sync code, sessions from `session()`) with every PostgreSQL round trip awaited on
        the running loop; on SQLite simply called."""
        if self.async_engine is None:
            return fn(*args)
        return await greenlet_spawn(fn, *args)

    def upgrade(self) -> None:
        """Apply Alembic migrations up to head (idempotent)."""
        with self.engine.begin() as conn:
            if not self.is_sqlite:
                conn.exec_driver_sql("SET LOCAL statement_timeout = 0")  # a migration may take its time
            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def ping(self) -> bool:
        engine = self.async_engine.sync_engine if self.async_engine is not None and in_greenlet() else self.engine
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def checkpoint(self) -> None:
        """Copy the SQLite WAL into the database file, off the request path. PASSIVE never waits for a
        writer nor blocks one; the driver releases the GIL while SQLite copies and syncs."""
        if not self.is_sqlite:
            return
        if self.scrub_pending:
            self.scrub_pending = not self._truncate_wal()
            return
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _truncate_wal(self) -> bool:
        """After an erasure: copy the WAL into the (secure-deleted) database and cut the WAL file to
        zero bytes, so the erased rows' old pages are nowhere on disk. Fails (False, retried by the
        next checkpoint round) while a reader still holds an older snapshot."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout=200")  # never hold a turn up for long
            try:
                busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
            finally:
                conn.exec_driver_sql("PRAGMA busy_timeout=10000")
        return busy is not None and busy[0] == 0

    def dispose(self) -> None:
        self.engine.dispose()
        if self.async_engine is not None:
            # Closing a psycopg AsyncConnection does no network wait, so any loop can do it: a loop of
            # its own in a short thread, since dispose() may be called from a running loop (shutdown).
            closing = threading.Thread(target=asyncio.run, args=(self.async_engine.dispose(),))
            closing.start()
            closing.join(timeout=10)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg
