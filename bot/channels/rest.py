"""Rasa-style REST channel: POST /webhooks/rest/webhook {"sender", "message"} -> list of replies."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.channels.rest_pending import take_pending
from bot.dispatch import run_engine
from bot.messages import Inbound, Location, Reply

CHANNEL = "rest"
router = APIRouter()


class RestLocation(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class RestMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sender: str = Field(min_length=1, max_length=128, description="the person's stable id")
    message: str = Field(max_length=20_000, description="text, or a button payload such as /menu")
    message_id: str | None = Field(default=None, max_length=128, description="for de-duplication")
    location: RestLocation | None = None


def to_inbound(body: RestMessage) -> Inbound:
    text = body.message
    payload = text.strip() if text.strip().startswith("/") else None
    loc = Location(body.location.lat, body.location.lon) if body.location else None
    # REST clients choose their own ids: scope them to the sender so two clients never collide.
    message_id = f"{body.sender}:{body.message_id}" if body.message_id else None
    if message_id and len(message_id) > 128:  # the column's width; a digest keeps it unique
        message_id = "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()
    return Inbound(CHANNEL, body.sender, text=text, payload=payload, location=loc, message_id=message_id)


def render(recipient: str, replies: list[Reply]) -> list[dict[str, Any]]:
    return [{"recipient_id": recipient, **r.as_dict()} for r in replies]


@router.post(
    "/webhooks/rest/webhook",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": RestMessage.model_json_schema()}}}},
)
async def rest_webhook(request: Request) -> list[dict[str, Any]]:
    # Read JSON whatever the Content-Type says: `curl -d '{...}'` sends form-encoded headers.
    raw = await request.body()
    try:
        data = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise HTTPException(422, 'the body must be a JSON object like {"sender": "...", "message": "..."}')
    try:
        body = RestMessage.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from None
    rt = request.app.state.runtime
    replies = await run_engine(rt, rt.engine.handle, to_inbound(body))
    waiting = await run_engine(rt, take_pending, rt.db, body.sender)  # caseworker replies meanwhile
    return waiting + render(body.sender, replies)
