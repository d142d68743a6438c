"""Security headers for the console's pages and API, as a plain ASGI middleware.

Starlette's `@app.middleware("http")` wraps every request (webhooks included) in extra tasks and
buffering; this one only looks at the path and touches console and API responses. In production
(`hsts=True`) every response also carries Strict-Transport-Security: the server is https-only."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class ConsoleHeaders:
    def __init__(self, app: ASGIApp, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(("/console", "/api")):
            if self.hsts and scope["type"] == "http":
                await self.app(scope, receive, self._with_hsts(send))
            else:
                await self.app(scope, receive, send)
            return
        cacheable = path.startswith("/console/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                if not cacheable:
                    headers.setdefault("Cache-Control", "no-store")  # case data never sits in a cache
                if self.hsts:
                    headers.setdefault("Strict-Transport-Security", HSTS[1].decode())
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _with_hsts(send: Send) -> Send:
        async def send_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), HSTS]
            await send(message)

        return send_hsts
