"""The one NLU interface both backends implement.

`parse(text)` returns exactly the JSON shape of Rasa's `POST /model/parse`:

    {"text": str,
     "intent": {"name": str, "confidence": float},
     "entities": [{"entity": str, "value": str, "start": int, "end": int,
                   "confidence_entity": float, "extractor": str}],
     "intent_ranking": [{"name": str, "confidence": float}, ...]}

`intent.name` is `nlu_fallback` when the classifier is below its threshold, unless the
safety layer recognised danger, in which case it is `emergency`.
"""

from __future__ import annotations

from typing import Any, Protocol

ParseResult = dict[str, Any]

INTENTS: tuple[str, ...] = (
    "greet", "goodbye", "thanks", "affirm", "deny", "menu", "check_offer", "ask_red_flags",
    "ask_safe_migration", "verify_agency", "ask_aid", "request_help", "find_sentra", "emergency",
    "request_human", "report_trafficking", "out_of_scope", "bot_challenge", "delete_data",
    "change_language", "self_harm", "ask_hotline",
)
FALLBACK = "nlu_fallback"


class NLU(Protocol):
    name: str

    def parse(self, text: str) -> ParseResult: ...

    def ready(self) -> bool: ...


def entity_values(result: ParseResult, entity: str) -> list[str]:
    return [str(e["value"]) for e in result.get("entities", []) if e.get("entity") == entity]
