"""Local fakes of the Telegram Bot API and the Twilio REST API (127.0.0.1 only).

Each records what it received and can be told to fail the next N sends (429 or 500) so the
outbox's retries can be watched. They run under uvicorn in a thread and stop with the fixture."""

from __future__ import annotations

import base64
import itertools
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalServer:
    def __init__(self, app: Starlette) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def wait_until(cond: Callable[[], Any], timeout: float = 15.0, what: str = "condition") -> Any:
    """Poll `cond` until it returns something truthy; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class _Failures:
    """Scripted failures for the next sends: a queue of (http status, retry_after or None)."""

    def __init__(self) -> None:
        self.queue: deque[tuple[int, int | None]] = deque()
        self.always: int | None = None
        self.lock = threading.Lock()

    def next(self) -> tuple[int, int | None] | None:
        with self.lock:
            if self.always is not None:
                return (self.always, None)
            return self.queue.popleft() if self.queue else None


class FakeTelegram:
    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.stamps: list[tuple[str, float]] = []  # (method, monotonic time) of every accepted call
        self.issued: dict[str, list[int]] = {}  # chat -> ids of the messages the bot sent there
        self.failures = _Failures()
        self.updates: deque[dict[str, Any]] = deque()
        self.forbidden_chats: set[str] = set()
        self._ids = itertools.count(1000)
        self.lock = threading.Lock()
        self.files: dict[str, bytes] = {}  # file_id -> bytes, served through getFile and /file/bot...
        self.server = LocalServer(
            Starlette(
                routes=[
                    Route("/bot{token}/{method}", self.handle, methods=["POST", "GET"]),
                    Route("/file/bot{token}/{path:path}", self.download, methods=["GET"]),
                ]
            )
        )
        self.url = self.server.url

    async def download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        file_id = request.path_params["path"].rsplit("/", 1)[-1]
        if file_id not in self.files:
            return Response(status_code=404)
        with self.lock:
            self.calls.append(("download", {"file_id": file_id}))
        return Response(self.files[file_id], media_type="audio/ogg")

    async def handle(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        params = await _params(request)
        if method == "sendMessage":
            failure = self.failures.next()
            if failure is not None:
                status, retry_after = failure
                body: dict[str, Any] = {"ok": False, "error_code": status, "description": "fake failure"}
                if retry_after is not None:
                    body["parameters"] = {"retry_after": retry_after}
                with self.lock:
                    self.calls.append(("sendMessage(failed)", params))
                return JSONResponse(body, status)
            if str(params.get("chat_id")) in self.forbidden_chats:
                return JSONResponse(
                    {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
                    403,
                )
        with self.lock:
            self.calls.append((method, params))
            self.stamps.append((method, time.monotonic()))
        return JSONResponse({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": 4242, "is_bot": True, "first_name": "Sahabat", "username": "sahabat_test_bot"}
        if method in ("sendMessage", "sendLocation"):
            chat = int(params["chat_id"])
            msg_id = next(self._ids)
            with self.lock:
                self.issued.setdefault(str(chat), []).append(msg_id)
            msg: dict[str, Any] = {
                "message_id": msg_id,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private"},
            }
            if method == "sendLocation":
                msg["location"] = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
            else:
                msg["text"] = params.get("text", "")
            return msg
        if method == "getFile":
            file_id = str(params.get("file_id"))
            data = self.files.get(file_id, b"")
            return {"file_id": file_id, "file_unique_id": "u" + file_id, "file_size": len(data),
                    "file_path": f"voice/{file_id}"}
        if method == "getUpdates":
            out = []
            with self.lock:
                while self.updates:
                    out.append(self.updates.popleft())
            return out
        return True

    def sent(self, chat_id: int | str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [
                p
                for m, p in self.calls
                if m == "sendMessage" and (chat_id is None or str(p["chat_id"]) == str(chat_id))
            ]

    def methods(self) -> list[str]:
        with self.lock:
            return [m for m, _ in self.calls]

    def called(self, method: str) -> list[dict[str, Any]]:
        with self.lock:
            return [p for m, p in self.calls if m == method]


class FakeTwilio:
    def __init__(self, account_sid: str, auth_token: str) -> None:
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[dict[str, Any]] = []
        self.contents: dict[str, dict[str, Any]] = {}  # Content API: sid -> the create request
        self.refuse_contents = False  # the Content API answers 400 to creation
        self.forgotten_contents: set[str] = set()  # sends with these ContentSids are refused (400)
        self.failures = _Failures()
        self.lock = threading.Lock()
        self.media: dict[str, bytes] = {}  # media id -> bytes, behind the account's basic auth
        self.server = LocalServer(
            Starlette(
                routes=[
                    Route("/2010-04-01/Accounts/{sid}/Messages.json", self.create, methods=["POST"]),
                    Route("/v1/Content", self.create_content, methods=["POST"]),
                    Route("/2010-04-01/Accounts/{sid}/Messages/{msg}/Media/{media}", self.download, methods=["GET"]),
                ]
            )
        )
        self.url = self.server.url

    def media_url(self, media_id: str) -> str:
        return f"{self.url}/2010-04-01/Accounts/{self.account_sid}/Messages/MM1/Media/{media_id}"

    async def download(self, request: Request) -> Response:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return Response(status_code=401)
        data = self.media.get(request.path_params["media"])
        return Response(status_code=404) if data is None else Response(data, media_type="audio/ogg")

    def _authorised(self, request: Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return request.headers.get("authorization") == f"Basic {expected}"

    async def create_content(self, request: Request) -> JSONResponse:
        if not self._authorised(request):
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        if self.refuse_contents:
            return JSONResponse({"code": 20001, "message": "fake refusal", "status": 400}, 400)
        body = await request.json()
        types = {k: v for k, v in (body.get("types") or {}).items() if v is not None}
        if not body.get("friendly_name") or len(types) != 1:
            return JSONResponse({"code": 20001, "message": "Invalid types", "status": 400}, 400)
        sid = "HX" + uuid.uuid4().hex
        with self.lock:
            self.contents[sid] = {**body, "types": types}
        return JSONResponse({"sid": sid, "account_sid": self.account_sid, "friendly_name": body["friendly_name"],
                             "language": body.get("language"), "variables": body.get("variables"), "types": types,
                             "url": f"https://content.twilio.com/v1/Content/{sid}", "links": {}}, 201)

    async def create(self, request: Request) -> JSONResponse:
        if not self._authorised(request) or request.path_params["sid"] != self.account_sid:
            return JSONResponse({"code": 20003, "message": "Authenticate", "status": 401}, 401)
        params = await _params(request)
        content = params.get("ContentSid")
        if content and not content.startswith("HX"):
            return JSONResponse({"code": 21655, "message": "The ContentSid is Invalid", "status": 400}, 400)
        if content in self.forgotten_contents:  # deleted in the console after it was cached
            return JSONResponse({"code": 21655, "message": "The ContentSid is Invalid", "status": 400}, 400)
        failure = self.failures.next()
        if failure is not None:
            status = failure[0]
            return JSONResponse(
                {"code": 20429 if status == 429 else 20500, "message": "fake failure", "status": status},
                status,
            )
        sid = "SM" + uuid.uuid4().hex
        with self.lock:
            self.messages.append({**params, "sid": sid})
        return JSONResponse(
            {
                "sid": sid,
                "account_sid": self.account_sid,
                "to": params.get("To"),
                "from": params.get("From"),
                "body": params.get("Body"),
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
            },
            201,
        )

    def sent(self, to: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.messages if to is None or m.get("To") == to]


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        data = await request.json()
        return dict(data or {})
    form = await request.form()
    out: dict[str, Any] = {}
    for k, v in form.items():
        if not isinstance(v, str):
            continue
        if k in ("reply_markup", "link_preview_options", "message_ids"):
            try:
                out[k] = json.loads(v)
                continue
            except ValueError:
                pass
        out[k] = v
    return out
