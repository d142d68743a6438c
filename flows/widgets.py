"""How many choices a reply may carry, and how long their titles may be: WhatsApp's native limits,
the tightest of our channels (Twilio Content API: 3 quick-reply buttons in a session without template
approval, titles ≤ 20 characters; a list picker of 1–10 items, item titles ≤ 24 characters).

A reply with at most 3 choices is sent as quick replies, with 4–10 as one list. Flow loading and
`sahabat content check` refuse menus that break these limits, naming the file and step."""

from __future__ import annotations

from collections.abc import Iterable

MAX_QUICK_REPLIES = 3
MAX_LIST_ITEMS = 10
MAX_BUTTON_TITLE = 20
MAX_LIST_TITLE = 24


def title_limit(count: int) -> int:
    """The longest title allowed among `count` choices (quick replies or a list)."""
    return MAX_BUTTON_TITLE if count <= MAX_QUICK_REPLIES else MAX_LIST_TITLE


def problems(titles: Iterable[str]) -> list[str]:
    """What breaks the limits in one reply's choices (empty: fine)."""
    titles = list(titles)
    out: list[str] = []
    if len(titles) > MAX_LIST_ITEMS:
        out.append(f"{len(titles)} choices (at most {MAX_LIST_ITEMS} in one list)")
    limit = title_limit(len(titles))
    kind = "quick-reply button" if len(titles) <= MAX_QUICK_REPLIES else "list item"
    out += [f"{kind} title {t!r} has {len(t)} characters (at most {limit})" for t in titles if len(t) > limit]
    return out
