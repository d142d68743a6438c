"""Choose the NLU backend from settings: Rasa when SAHABAT_NLU_URL is set, else embedded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlu.base import NLU

if TYPE_CHECKING:
    from bot.config import Settings


def build_nlu(settings: Settings) -> NLU:
    from nlu.embedded import load_or_train

    embedded = load_or_train(
        data=settings.nlu_data, model_dir=settings.nlu_model_dir, threshold=settings.nlu_fallback_threshold
    )
    if settings.nlu_url:
        from nlu.rasa_client import RasaNLU

        return RasaNLU(
            settings.nlu_url, timeout=settings.nlu_timeout_s, fallback=embedded, token=settings.nlu_token
        )
    return embedded
