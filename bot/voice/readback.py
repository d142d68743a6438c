"""What the bot says about a note: the read-back before acting ("🎙️ Saya dengar: ..."), put at the
top of the first reply so an emergency's numbers still arrive in that first message, and a polite
reply for each reason a note was not heard."""

from __future__ import annotations

from bot.language import pick
from bot.messages import Inbound, Reply
from bot.voice.limits import MAX_BYTES, MAX_SECONDS

_HEARD = {
    "id": "🎙️ Saya dengar: “{text}”\n(Kalau salah, ketik saja pesannya.)",
    "en": "🎙️ I heard: “{text}”\n(If that is wrong, just type your message.)",
}
_NOT_HEARD = {
    "too_big": {
        "id": "Maaf, pesan suara ini terlalu besar (lebih dari {mb} MB). Kirim pesan suara yang lebih pendek, atau ketik pesannya.",
        "en": "Sorry, this voice note is too large (over {mb} MB). Please send a shorter one, or type your message.",
    },
    "too_long": {
        "id": "Maaf, pesan suara ini lebih dari {minutes} menit. Kirim pesan suara yang lebih pendek, atau ketik pesannya.",
        "en": "Sorry, this voice note is longer than {minutes} minutes. Please send a shorter one, or type your message.",
    },
    "unreadable": {
        "id": "Maaf, pesan suara ini tidak bisa saya buka. Coba kirim lagi, atau ketik pesannya.",
        "en": "Sorry, I could not open this voice note. Please send it again, or type your message.",
    },
    "unheard": {
        "id": "Maaf, saya tidak bisa mendengar kata-kata dalam pesan suara ini. Coba bicara lebih dekat ke ponsel, atau ketik pesannya.",
        "en": "Sorry, I could not make out the words in this voice note. Please speak closer to the phone, or type your message.",
    },
    "busy": {
        "id": "Maaf, banyak pesan suara sedang saya dengarkan. Coba kirim lagi sebentar lagi, atau ketik pesannya.",
        "en": "Sorry, I am listening to many voice notes right now. Please send it again shortly, or type your message.",
    },
}


def read_back(msg: Inbound, lang: str, replies: list[Reply]) -> list[Reply]:
    if "voice" not in msg.metadata or not msg.text.strip():
        return replies
    line = pick(_HEARD, lang).format(text=msg.text.strip())
    if not replies:
        return [Reply(line)]
    first = replies[0]
    return [Reply(f"{line}\n\n{first.text}", first.buttons, first.request_location), *replies[1:]]


def not_heard(msg: Inbound, lang: str) -> Reply | None:
    reason = msg.metadata.get("voice_error")
    if reason is None:
        return None
    text = pick(_NOT_HEARD.get(str(reason), _NOT_HEARD["unheard"]), lang)
    return Reply(text.format(mb=MAX_BYTES // (1024 * 1024), minutes=int(MAX_SECONDS // 60)))
