"""Domain knowledge over content/: content models and checks, offer analyzer, places, sentra locator.

Public API (imported lazily so `import bot.knowledge` stays cheap):
    load_content(dir=None) -> Content          bot.knowledge.content
    analyze_offer(text, lang="id") -> OfferVerdict   bot.knowledge.offers
    nearest_sentra(lat, lon, n=3) -> list[SentraHit] bot.knowledge.sentra
    locate_place(text) -> Place | None          bot.knowledge.places
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "load_content": "bot.knowledge.content",
    "analyze_offer": "bot.knowledge.offers",
    "nearest_sentra": "bot.knowledge.sentra",
    "locate_place": "bot.knowledge.places",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
