"""A tiny stand-in for Rasa's HTTP API on 127.0.0.1, whose behaviour a test switches at will."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeRasa:
    """mode: "ok" (answers `intent`), "error" (HTTP 500), "slow" (answers after `delay` s), "garbage"."""

    def __init__(self) -> None:
        self.mode = "ok"
        self.intent = "greet"
        self.delay = 1.0
        self.requests = 0
        self.url = ""

    def answer(self, text: str) -> dict[str, Any]:
        return {
            "text": text,
            "intent": {"name": self.intent, "confidence": 0.93},
            "entities": [],
            "intent_ranking": [{"name": self.intent, "confidence": 0.93}],
        }


def _handler(fake: FakeRasa) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _reply(self, status: int, body: bytes, ctype: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # client timed out
                self.wfile.write(body)

        def do_GET(self) -> None:
            fake.requests += 1
            if fake.mode == "error":
                self._reply(500, b'{"status": "failure"}')
            else:
                self._reply(200, json.dumps({"model_file": "fake.tar.gz"}).encode())

        def do_POST(self) -> None:
            fake.requests += 1
            length = int(self.headers.get("Content-Length", 0))
            text = json.loads(self.rfile.read(length) or b"{}").get("text", "")
            if fake.mode == "slow":
                time.sleep(fake.delay)
            if fake.mode == "error":
                self._reply(500, b'{"status": "failure"}')
            elif fake.mode == "garbage":
                self._reply(200, b"<html>proxy error</html>", "text/html")
            else:
                self._reply(200, json.dumps(fake.answer(text)).encode())

    return Handler


@contextmanager
def running_fake() -> Iterator[FakeRasa]:
    fake = FakeRasa()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
