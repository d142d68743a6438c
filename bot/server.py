"""The FastAPI app: webhooks, health and readiness. `create_app()` is the one entry point."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot import metrics
from bot.app_state import Runtime, build_runtime
from bot.channels import registry
from bot.config import Settings, get_settings
from bot.console.app import install_console
from bot.console.rounds import round_job
from bot.followup import run_followups
from bot.http_guards import BodyLimit, TokenGuard
from bot.notify import NO_ALERT_TARGET, notify_configured
from bot.outbox import purge_finished, start_sender
from bot.periodic import Periodic
from bot.voice import queue as voice_queue

log = logging.getLogger(__name__)


def _reason(exc: RequestValidationError) -> str:
    reasons = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        if e.get("type") == "json_invalid":
            reasons.append("the body is not valid JSON")
        elif e.get("type") == "missing":
            reasons.append(f"`{loc}` is required")
        else:
            reasons.append(f"`{loc}`: {e.get('msg')}")
    return "; ".join(reasons) or "invalid request"


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or build_runtime(settings)
        app.state.runtime = rt
        # Engine work is short and CPU-bound: a few threads serve as well as 40 with less memory and
        # less contention for the GIL (and SQLite's single writer).
        threads = settings.worker_threads or (8 if rt.db.is_sqlite else 40)
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        app.state.outbox = await start_sender(rt)  # delivers stored replies on channels that push
        followups = Periodic(
            "follow-ups",
            lambda: run_followups(rt.engine, rt.settings.followup_days),
            interval=600,
        ).start()
        console_rounds = Periodic(  # SLA requeue and alerts, auto-assignment (bot/console/rounds.py)
            "console-rounds", round_job(rt.db, rt.settings), interval=rt.settings.console_rounds_seconds
        ).start()
        checkpoints = Periodic("wal-checkpoint", rt.db.checkpoint, interval=1.0).start() if rt.db.is_sqlite else None
        purge = Periodic(
            "outbox-purge", lambda: purge_finished(rt.db, rt.settings.outbox_retention_days), interval=3600
        ).start()
        await anyio.to_thread.run_sync(rt.warm_up)
        # Voice notes a stopped process acknowledged but never answered (bot/voice/queue.py).
        notes = asyncio.create_task(voice_queue.sweep(app), name="voice-sweep") if rt.settings.voice else None
        # What start-up loaded (flows, content, NLU arrays) lives as long as the worker: moved out of
        # the collector's generations, it is not walked again by every full collection under load.
        gc.collect()
        gc.freeze()
        # Database gauges belong to this app (several apps may share one process in tests).
        app.state.db_metrics = CollectorRegistry()
        app.state.db_metrics.register(metrics.DatabaseGauges(rt.db))
        try:
            yield
        finally:
            if notes is not None:
                notes.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await notes
            await followups.stop()
            await console_rounds.stop()
            await purge.stop()
            if checkpoints is not None:
                await checkpoints.stop()
            await app.state.outbox.stop()
            if runtime is None:
                rt.close()

    app = FastAPI(title="Sahabat Migran", version="0.1.0", lifespan=lifespan)
    for channel in registry.channels():  # each channel's webhooks and per-app state (REST's access rules)
        if channel.router is not None:
            app.include_router(channel.router)
        if channel.mount is not None:
            channel.mount(app, settings)
    # Inside the console's headers (so a 413 carries them), outside everything else.
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, form_limit=settings.max_form_bytes)
    install_console(app, hsts=settings.is_production)  # caseworker console: /console, /api, static files
    # Operators' pages: a token, or (production without one) off.
    ops_paths = ["/metrics", app.docs_url, app.redoc_url, app.openapi_url, "/docs/oauth2-redirect"]
    app.add_middleware(
        TokenGuard, paths=[p for p in ops_paths if p], token=settings.metrics_token,
        open_without_token=not settings.is_production,
    )
    app.state.http_metrics = metrics.instrument_requests(app)  # outside the guards: their 4xx counted too
    if settings.forwarded_allow_ips.strip():
        # Only these proxies' X-Forwarded-For/-Proto are believed (request.client is then the real
        # client, for rate limits and login throttling); `sahabat serve` turns uvicorn's own off.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        # The reason only: never echo the input back (it may hold personal details).
        return JSONResponse({"detail": _reason(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)  # every pooled connection held by a stalled database
    async def database_down(_: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", type(exc).__name__)
        return JSONResponse(
            {"detail": "the database is unavailable, please retry"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %s", type(exc).__name__, exc_info=exc)
        return JSONResponse(
            {"detail": "internal error; nothing you sent was lost, please retry"}, status_code=500
        )

    @app.get("/metrics", include_in_schema=False)
    async def prometheus(request: Request) -> Response:
        registries = [*metrics.scrape_registries(request.app.state.http_metrics), request.app.state.db_metrics]
        body = b"".join(generate_latest(r) for r in registries)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        rt: Runtime = request.app.state.runtime
        db_ok = await rt.db.run_sync(rt.db.ping)  # PostgreSQL: awaited, a stalled one holds no other request
        status = getattr(rt.nlu, "status", None)
        nlu = status() if callable(status) else {"backend": rt.nlu.name}
        nlu_ok = rt.nlu.ready()
        body: dict[str, object] = {"database": "ok" if db_ok else "unreachable", "nlu": {**nlu, "ready": nlu_ok}}
        if not notify_configured(rt.settings):  # answers still flow; caseworkers are not told (a warning)
            body["warnings"] = [NO_ALERT_TARGET]
        return JSONResponse(body, status_code=200 if db_ok and nlu_ok else 503)

    return app
