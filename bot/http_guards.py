"""Plain ASGI guards in front of every route: request body size, and a token for operators' pages.

Plain ASGI (not `@app.middleware("http")`) so the hot webhook path pays one dict lookup, no extra
task or buffering."""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from urllib.parse import parse_qs

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a streamed (chunked) body passes the limit. An HTTPException, so
    FastAPI's body parsing re-raises it and the app's handler answers 413 with the reason."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


async def _send_json(send: Send, status: int, detail: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),  # the unread rest of the body is not worth reading
            *headers,
        ],
    })
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """413 for a body over the limit: at once from Content-Length, else as soon as the streamed
    bytes pass it. Console forms (`/console`, `/api`) get `form_limit`, everything else `limit`."""

    def __init__(self, app: ASGIApp, limit: int, form_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.form_limit = form_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.form_limit if path.startswith(("/console", "/api")) else self.limit
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _send_json(send, 400, "the Content-Length header is not a number")
                    return
                if declared > limit:
                    await _send_json(send, 413, f"the request body is larger than {limit} bytes")
                    return
                break
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watch_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, watch_send)
        except BodyTooLarge as exc:  # raised where no handler turned it into a response
            if started:
                raise
            await _send_json(send, 413, str(exc.detail))


class TokenGuard:
    """Operators' pages (/metrics, the API docs) need `Authorization: Bearer <token>` or `?token=`.
    With no token configured, `open_without_token` decides: open (development) or 404 (production)."""

    def __init__(self, app: ASGIApp, paths: Iterable[str], token: str | None, open_without_token: bool) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.token = token
        self.open_without_token = open_without_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        if not self.token:
            if self.open_without_token:
                await self.app(scope, receive, send)
            else:
                await _send_json(send, 404, "not available on this server")
            return
        if not self._authorised(scope):
            await _send_json(send, 401, "a valid token is required", [(b"www-authenticate", b"Bearer")])
            return
        await self.app(scope, receive, send)

    def _authorised(self, scope: Scope) -> bool:
        assert self.token
        given = bearer_token(scope)
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())


def bearer_token(scope: Scope) -> str | None:
    """The token of `Authorization: Bearer ...`, else of `?token=...` (as Rasa's server accepts it)."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            header: str = value.decode("latin-1")
            scheme, _, token = header.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    query: str = scope.get("query_string", b"").decode("latin-1")
    tokens = parse_qs(query).get("token") if query else None
    return tokens[0] if tokens else None
