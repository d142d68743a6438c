"""Self-harm cues reach `self_harm` (never the danger template); threats from others stay `emergency`."""

from __future__ import annotations

import pytest

from nlu import embedded
from nlu.crisis import SELF_HARM, apply_crisis, is_self_harm
from nlu.safety import apply_safety

SELF_HARM_TEXTS = [
    "sy capek hidup, pgn mati aja rasanya",
    "bunuh diri",
    "ga kuat lagi pengen mengakhiri hidup",
    "mw bundir aja",
    "mending gw mati aja",
    "udh gk sanggup hidup lg",
    "gk ada gunanya hidup",
    "sy udah nyayat tangan",
    "pgn nyusul almarhum ibu",
    "teman sy mau bunuh diri",
    "I want to kill myself",
    "I don't want to live anymore",
    "i feel suicidal",
]
NOT_SELF_HARM = [
    "mau dibunuh majikan",
    "majikan ngancem mau bunuh sy",
    "they threaten to kill me",
    "hp sy mau mati, batre tinggal 5%",
    "mati lampu di mess",
    "capek kerja terus",
    "saya hampir mati dipukul",
]


def _parsed(text: str, intent: str, conf: float = 0.9) -> dict:
    rest = [{"name": "emergency", "confidence": 0.05}, {"name": "greet", "confidence": 0.01}]
    return {
        "text": text,
        "intent": {"name": intent, "confidence": conf},
        "entities": [],
        "intent_ranking": [{"name": intent, "confidence": conf}, *[r for r in rest if r["name"] != intent]],
    }


@pytest.mark.parametrize("text", SELF_HARM_TEXTS)
def test_self_harm_cues(text: str) -> None:
    assert is_self_harm(text)


@pytest.mark.parametrize("text", NOT_SELF_HARM)
def test_not_self_harm(text: str) -> None:
    assert not is_self_harm(text)


@pytest.mark.parametrize("text", ["bunuh diri", "sy mau bunuh diri", "aku pengen bunuh diri aja"])
def test_self_harm_wins_over_the_danger_net(text: str) -> None:
    # "mau bunuh" alone would read as a threat: the crisis cue goes first, whatever the classifier said
    out = apply_safety(_parsed(text, "report_trafficking"))
    assert out["intent"] == {"name": SELF_HARM, "confidence": 1.0}
    assert out["intent_ranking"][0]["name"] == SELF_HARM


def test_threat_from_others_stays_emergency() -> None:
    assert (
        apply_safety(_parsed("tolong sy mau dibunuh majikan", "self_harm"))["intent"]["name"] == "emergency"
    )


def test_phone_battery_is_taken_back_from_self_harm() -> None:
    out, decided = apply_crisis(_parsed("hp saya mau mati", SELF_HARM))
    assert not decided
    assert out["intent"]["name"] != SELF_HARM
    assert SELF_HARM not in [r["name"] for r in out["intent_ranking"]]


def test_fallback_whose_best_guess_is_self_harm_is_rescued() -> None:
    res = _parsed("rasanya semua gelap", SELF_HARM, 0.3)
    res["intent"] = {"name": "nlu_fallback", "confidence": 0.3}
    assert apply_crisis(res)[0]["intent"]["name"] == SELF_HARM


def test_input_is_not_mutated() -> None:
    res = _parsed("bunuh diri", "greet")
    before = repr(res)
    apply_safety(res)
    assert repr(res) == before


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("sy capek hidup, pgn mati aja rasanya", SELF_HARM),
        ("aku udah gak sanggup, semua gelap, pengen pergi selamanya", SELF_HARM),
        ("I want to end my life", SELF_HARM),
        ("tolong saya mau dibunuh majikan", "emergency"),
        ("hp saya mau mati", None),
    ],
)
def test_trained_model(embedded_model: embedded.EmbeddedNLU, text: str, intent: str | None) -> None:
    got = embedded_model.parse(text)["intent"]["name"]
    if intent is None:
        assert got != SELF_HARM
    else:
        assert got == intent
