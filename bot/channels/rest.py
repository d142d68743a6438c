"""Rasa-style REST channel: POST /webhooks/rest/webhook {"sender", "message"} -> list of replies.

Access (docs/channels.md): in development with no `SAHABAT_REST_CLIENTS` it is open, as Rasa's REST
channel is. With clients configured (and in production, where the channel is off unless
`SAHABAT_REST_ENABLED=true`), every request names its client by a token (`Authorization: Bearer`,
or `?token=` as Rasa's server accepts) or by an HMAC-SHA256 signature of the body. A client's
senders are its own: the contact is stored as "client:sender", so no client can write as, or
erase, another client's person. Rate limits per address and per sender answer 429; past the cap on
new emergency cases per client the person still gets the emergency numbers, but no case is opened."""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot import jsonbody, metrics
from bot.channels.spec import Capabilities, ChannelSpec
from bot.config import Settings, parse_rest_clients
from bot.dispatch import run_engine
from bot.http_guards import bearer_token
from bot.messages import Inbound, Location, Reply
from bot.ratelimit import RateLimited, RestLimits
from bot.turn.offline import DatabaseDownWithReplies

CHANNEL = "rest"
SENDER_WIDTH = 128  # the contact column's width, client prefix included
router = APIRouter()


@dataclass
class RestAccess:
    enabled: bool
    clients: dict[str, str]  # name -> secret; empty: open (development only)
    limits: RestLimits
    max_json_depth: int
    signature_max_age_s: int


def configure(app: FastAPI, settings: Settings) -> None:
    """Called once by create_app: who may use the channel, from which sites, and how often."""
    allow_browsers(app, settings)
    app.state.rest_access = RestAccess(
        enabled=settings.rest_on,
        clients=parse_rest_clients(settings.rest_clients),
        limits=RestLimits.from_settings(settings),
        max_json_depth=settings.max_json_depth,
        signature_max_age_s=settings.rest_signature_max_age_s,
    )


def _unauthorised(reason: str, status: int = 401) -> HTTPException:
    return HTTPException(status, reason, headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


def authenticate(request: Request, raw: bytes, access: RestAccess) -> str | None:
    """The client's name (None when the channel is open); 401/403 otherwise."""
    if not access.clients:
        return None
    signature = request.headers.get("x-sahabat-signature")
    if signature is not None:
        return _check_signature(request, raw, access, signature)
    token = bearer_token(request.scope)
    if token is None:
        raise _unauthorised("authentication required: a client token or a signed body")
    found = None
    for name, secret in access.clients.items():  # every secret compared: no early exit to time
        if hmac.compare_digest(token.encode(), secret.encode()):
            found = name
    if found is None:
        raise _unauthorised("unknown client token", 403)
    return found


def _check_signature(request: Request, raw: bytes, access: RestAccess, signature: str) -> str:
    """`X-Sahabat-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body>` with the client's
    secret, `X-Sahabat-Client: <name>` and `X-Sahabat-Timestamp: <unix seconds>` (replays expire)."""
    name = request.headers.get("x-sahabat-client", "")
    secret = access.clients.get(name)
    stamp = request.headers.get("x-sahabat-timestamp", "")
    if secret is None or not stamp.isdigit():
        raise _unauthorised("a signed request needs X-Sahabat-Client and X-Sahabat-Timestamp", 403)
    if abs(time.time() - int(stamp)) > access.signature_max_age_s:
        raise _unauthorised("the signature's timestamp is too old or in the future", 403)
    expected = hmac.new(secret.encode(), stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    given = signature.removeprefix("sha256=").strip().lower()
    if not hmac.compare_digest(expected.encode(), given.encode("latin-1", "replace")):
        raise _unauthorised("the body's signature does not match", 403)
    return name


class RestLocation(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class RestMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sender: str = Field(min_length=1, max_length=128, description="the person's stable id")
    message: str = Field(max_length=20_000, description="text, or a button payload such as /menu")
    message_id: str | None = Field(default=None, max_length=128, description="for de-duplication")
    location: RestLocation | None = None


def to_inbound(body: RestMessage, client: str | None = None) -> Inbound:
    text = body.message
    payload = text.strip() if text.strip().startswith("/") else None
    loc = Location(body.location.lat, body.location.lon) if body.location else None
    sender = f"{client}:{body.sender}" if client else body.sender  # a client's senders are its own
    # REST clients choose their own ids: scope them to the sender so two clients never collide.
    message_id = f"{sender}:{body.message_id}" if body.message_id else None
    if message_id and len(message_id) > 128:  # the column's width; a digest keeps it unique
        message_id = "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()
    return Inbound(CHANNEL, sender, text=text, payload=payload, location=loc, message_id=message_id, pull=True)


RASA_KEYS = ("text", "buttons")  # what Rasa's REST channel sends at the top level


def render(recipient: str, replies: list[Reply]) -> list[dict[str, Any]]:
    """Rasa's REST shape: text and buttons at the top, anything else under `custom`."""
    out = []
    for r in replies:
        fields = r.as_dict()
        item = {"recipient_id": recipient, **{k: fields.pop(k) for k in RASA_KEYS if k in fields}}
        if fields:
            item["custom"] = fields
        out.append(item)
    return out


def allow_browsers(app: FastAPI, settings: Settings) -> None:
    """SAHABAT_REST_CORS_ORIGINS: the sites whose chat widget may call the REST channel."""
    origins = [o.strip().rstrip("/") for o in settings.rest_cors_origins.split(",") if o.strip()]
    if origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=origins, allow_methods=["POST"],
            allow_headers=["Authorization", "Content-Type", "X-Sahabat-Signature", "X-Sahabat-Client",
                           "X-Sahabat-Timestamp"],
        )


@router.post(
    "/webhooks/rest/webhook",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": RestMessage.model_json_schema()}}}},
)
async def rest_webhook(request: Request) -> list[dict[str, Any]]:
    access: RestAccess = request.app.state.rest_access
    if not access.enabled:
        raise HTTPException(404, "the REST channel is off on this server")
    address = request.client.host if request.client else "unknown"
    try:
        access.limits.check_address(address)  # before anything else: also slows token guessing
        raw = await request.body()
        client = authenticate(request, raw, access)
    except RateLimited:
        metrics.RATE_LIMITED.labels(CHANNEL, "address").inc()
        raise
    # Read JSON whatever the Content-Type says: `curl -d '{...}'` sends form-encoded headers.
    try:
        data = jsonbody.loads(raw, access.max_json_depth) if raw.strip() else None
    except jsonbody.BadJSON as exc:
        raise HTTPException(400, exc.reason) from None
    if not isinstance(data, dict):
        raise HTTPException(422, 'the body must be a JSON object like {"sender": "...", "message": "..."}')
    try:
        body = RestMessage.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    inbound = to_inbound(body, client)
    if len(inbound.sender_id) > SENDER_WIDTH:
        raise HTTPException(422, f"`sender` is too long for this client (at most {SENDER_WIDTH - len(client or '') - 1})")
    try:
        access.limits.check_sender(inbound.sender_id)
    except RateLimited:
        metrics.RATE_LIMITED.labels(CHANNEL, "sender").inc()
        raise
    inbound.case_gate = partial(access.limits.may_open_case, client or f"address:{address}")
    rt = request.app.state.runtime
    try:
        replies = await run_engine(rt, rt.engine.handle, inbound)
    except DatabaseDownWithReplies as exc:  # not stored: the client retries; danger gets the numbers now
        return JSONResponse(  # type: ignore[return-value]
            {"detail": "the database is unavailable, please retry", "replies": render(body.sender, exc.replies)},
            status_code=503, headers={"Retry-After": "5"},
        )
    return render(body.sender, replies)  # caseworker replies since the last turn first (inbound.pull)


# Pull, as Rasa's REST channel: replies are the webhook's response; nothing can be pushed later.
SPEC = ChannelSpec(
    name=CHANNEL,
    title="REST",
    capabilities=Capabilities(push=False, pull=True),
    router=router,
    mount=configure,
    parse=to_inbound,
)
