"""Replies that need no flow: nothing to understand (empty, media only, too long, no letters), and
a location shared when no question asked for one."""

from __future__ import annotations

from bot.language import pick
from bot.messages import Button, Inbound, Reply
from bot.voice.readback import not_heard
from flows.runtime import render
from flows.schema import FlowSet

_MEDIA_NAMES = {
    "photo": {"id": "foto", "en": "photos"},
    "voice": {"id": "pesan suara", "en": "voice notes"},
    "audio": {"id": "audio", "en": "audio"},
    "video": {"id": "video", "en": "videos"},
    "sticker": {"id": "stiker", "en": "stickers"},
    "document": {"id": "dokumen", "en": "documents"},
}
_ATTACHMENTS = {"id": "lampiran", "en": "attachments"}


def special(flows: FlowSet, msg: Inbound, lang: str, max_chars: int) -> list[Reply]:
    text = msg.text.strip()
    back = [Button(b.title.get(lang), b.payload) for b in flows.menus["main"]]
    if msg.media_kind and not text:
        refusal = not_heard(msg, lang)  # a voice note that could not be heard says why
        if refusal is not None:
            return [refusal]
        media = pick(_MEDIA_NAMES.get(msg.media_kind, _ATTACHMENTS), lang)
        return [Reply(render(flows.messages["media"], lang, {"media": media}))]
    if not text:
        return [Reply(flows.messages["empty"].get(lang), back)]
    if len(text) > max_chars:
        return [Reply(render(flows.messages["too_long"], lang, {"limit": max_chars}))]
    return [Reply(flows.messages["no_text"].get(lang), back)]


def location_unexpected(flows: FlowSet, lang: str) -> list[Reply]:
    """Offers the sentra near the point; the engine remembers it so "ya" needs no second question."""
    said = flows.messages
    return [
        Reply(
            said["location_unexpected"].get(lang),
            [Button(said["button_yes"].get(lang), "/find_sentra"), Button(said["button_no"].get(lang), "/menu")],
        )
    ]
