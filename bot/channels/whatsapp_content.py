"""WhatsApp's native choices through Twilio's Content API: quick replies (1-3 buttons) and list
pickers (4-10 items), created once by `sahabat whatsapp sync-templates` and reused for every menu.

The templates are generic: the body, the titles and the ids are content variables, so eleven
templates cover every menu the flows can produce. Each is cached under a hash of its definition
(a JSON file, SAHABAT_TWILIO_CONTENT_CACHE): changing a definition creates a new template, an
unchanged one is never created twice. In-session messages need no WhatsApp approval, and list
pickers cannot be approved at all, so these are for the 24-hour window only; without a cache
entry (not synced, or the API refused) the numbered text goes out instead (bot/channels/whatsapp.py).

Limits (WhatsApp's): body ≤ 1,024 characters, quick-reply titles ≤ 20, list items ≤ 24 and
the list's button ≤ 20, ids ≤ 200."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

from bot.language import pick

log = logging.getLogger(__name__)

QUICK_REPLY_MAX = 3  # buttons in session without template approval
LIST_MAX = 10
BODY_MAX = 1024
TITLE_MAX = {"quick": 20, "list": 24}
ID_MAX = 200
_LIST_BUTTON = {"id": "Pilih", "en": "Choose"}  # the button that opens a list (≤ 20 characters)
_CHOOSE = {"id": "Pilih:", "en": "Choose:"}  # the body when a reply is only buttons


def _kind(n: int) -> str | None:
    if 1 <= n <= QUICK_REPLY_MAX:
        return "quick"
    return "list" if n <= LIST_MAX else None


def definition(kind: str, n: int) -> dict[str, Any]:
    """The Content API request for a template of `n` choices; variable 1 is the body."""
    if kind == "quick":
        actions = [{"type": "QUICK_REPLY", "title": f"{{{{{2 * i + 2}}}}}", "id": f"{{{{{2 * i + 3}}}}}"} for i in range(n)]
        types: dict[str, Any] = {"twilio/quick-reply": {"body": "{{1}}", "actions": actions}}
        first_choice = 2
    else:
        items = [{"item": f"{{{{{2 * i + 3}}}}}", "id": f"{{{{{2 * i + 4}}}}}"} for i in range(n)]
        types = {"twilio/list-picker": {"body": "{{1}}", "button": "{{2}}", "items": items}}
        first_choice = 3
    samples = {"1": "Pilih salah satu"}
    if kind == "list":
        samples["2"] = "Pilih"
    for i in range(n):
        samples[str(first_choice + 2 * i)] = f"Pilihan {i + 1}"
        samples[str(first_choice + 2 * i + 1)] = str(i + 1)
    return {"friendly_name": f"sahabat_{kind}_{n}", "language": "id", "variables": samples, "types": types}


def definitions() -> dict[str, dict[str, Any]]:
    """Every template the menus need, by key ("quick_2", "list_7")."""
    out = {}
    for n in range(1, LIST_MAX + 1):
        kind = _kind(n)
        assert kind is not None
        out[f"{kind}_{n}"] = definition(kind, n)
    return out


def content_hash(d: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:24]


class ContentCache:
    """hash -> Content SID in a JSON file; reread when the file changes (another process synced)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: float | None = None
        self._sids: dict[str, str] = {}

    def sids(self) -> dict[str, str]:
        try:
            stamp = os.stat(self.path).st_mtime
        except OSError:
            self._stamp, self._sids = None, {}
            return self._sids
        if stamp != self._stamp:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self._sids = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
            except (OSError, ValueError):
                log.warning("WhatsApp content cache unreadable: %s", self.path)
                self._sids = {}
            self._stamp = stamp
        return self._sids

    def save(self, sids: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(sids, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


def choice_id(payload: str, index: int) -> str:
    """What the tap sends back (ButtonPayload / ListId): the payload itself, or its menu number."""
    return payload if payload.startswith("/") and len(payload) <= ID_MAX else str(index + 1)


def widget(cache: ContentCache, text: str, buttons: list[dict[str, Any]], lang: str) -> dict[str, str] | None:
    """content_sid and content_variables for a reply with buttons, or None: send numbered text."""
    kind = _kind(len(buttons))
    if kind is None or len(text) > BODY_MAX:
        return None
    titles = [str(b["title"]) for b in buttons]
    if any(not t or len(t) > TITLE_MAX[kind] for t in titles):
        return None  # the content checks keep menus within the limits; anything else reads as text
    sid = cache.sids().get(content_hash(definition(kind, len(buttons))))
    if sid is None:
        return None
    variables = {"1": text.strip() or pick(_CHOOSE, lang)}
    first = 2
    if kind == "list":
        variables["2"], first = pick(_LIST_BUTTON, lang), 3
    for i, (title, b) in enumerate(zip(titles, buttons, strict=True)):
        variables[str(first + 2 * i)] = title
        variables[str(first + 2 * i + 1)] = choice_id(str(b["payload"]), i)
    return {"content_sid": sid, "content_variables": json.dumps(variables, ensure_ascii=False)}


async def sync(client: Any, cache: ContentCache) -> tuple[int, int]:
    """Create the templates the cache does not hold yet; (created, already there). A refusal stops
    the run (what was created so far is kept): the menus keep going out as numbered text."""
    from twilio.rest.content.v1.content import ContentList

    sids = dict(cache.sids())
    created = kept = 0
    try:
        for d in definitions().values():
            h = content_hash(d)
            if h in sids:
                kept += 1
                continue
            made = await client.content.v1.contents.create_async(ContentList.ContentCreateRequest(d))
            sids[h] = str(made.sid)
            created += 1
    finally:
        if created:
            cache.save(sids)
    return created, kept
