"""A minimal messenger channel, declared in this one module: the registry's acceptance test.

It has what a real channel has (a webhook, an inbound parser, an outbox sender, capabilities) and
is added with `registry.register(spec())` alone: server, outbox, follow-ups and console unchanged.
Its "provider" is an in-memory list, `DELIVERED`, of what its sender sent."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from bot.channels.common import handle_once, send_all
from bot.channels.spec import Capabilities, ChannelSpec
from bot.config import Settings
from bot.delivery import Part
from bot.dispatch import run_engine
from bot.messages import Inbound

CHANNEL = "fake_messenger"
WEBHOOK_PATH = "/webhooks/fake-messenger"
DELIVERED: list[dict[str, Any]] = []  # the provider's side: every message the sender delivered

router = APIRouter()


def to_inbound(body: Any) -> Inbound | None:
    """{"from": "<user>", "id": "<message id>", "text": "..."}; anything else is dropped."""
    if not isinstance(body, dict) or not isinstance(body.get("from"), str) or not isinstance(body.get("id"), str):
        return None
    text = str(body.get("text") or "")
    payload = text if text.startswith("/") else None
    return Inbound(CHANNEL, body["from"], text=text, payload=payload, message_id=body["id"])


@router.post(WEBHOOK_PATH)
async def webhook(request: Request) -> dict[str, Any]:
    rt = request.app.state.runtime
    inbound = to_inbound(await request.json())
    if inbound is None:
        return {"ok": False}
    replies = await run_engine(rt, handle_once, rt.engine, inbound)  # stored with its outbox rows
    outbox = getattr(request.app.state, "outbox", None)
    if outbox is not None:
        outbox.wake()
    return {"ok": True, "replies": [r.text for r in replies]}


class FakeMessengerSender:
    channel = CHANNEL

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def render(self, payload: dict[str, Any]) -> list[Part]:
        buttons = [str(b["title"]) for b in payload.get("buttons") or []]
        return [Part({"to": payload["chat_id"], "text": str(payload.get("text") or ""), "buttons": buttons})]

    async def deliver(self, part: Part) -> str:
        DELIVERED.append(part.data)
        return f"fm-{len(DELIVERED)}"

    async def send(self, payload: dict[str, Any]) -> str:
        return await send_all(self, payload)

    async def close(self) -> None:
        return None


def spec(*, push: bool = True) -> ChannelSpec:
    """The channel as it declares itself; `push=False` makes it a pull channel like REST."""
    return ChannelSpec(
        name=CHANNEL,
        title="Fake Messenger",
        capabilities=Capabilities(push=push, max_text=1000),
        router=router,
        parse=to_inbound,
        sender=FakeMessengerSender if push else None,
    )
