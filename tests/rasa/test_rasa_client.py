"""RasaNLU against a fake Rasa on 127.0.0.1: Rasa's answer when it is up, the embedded fallback
when it is down, slow or broken, no time-out per message while it stays down, and recovery."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest

from nlu.base import FALLBACK, ParseResult
from nlu.rasa_client import RasaNLU
from nlu.rasa_runner import free_port
from tests.rasa.fake_rasa import FakeRasa, running_fake

EMERGENCY_TEXT = "tolong saya dikurung majikan, paspor ditahan dan tidak boleh keluar rumah"


class StubEmbedded:
    """Stands in for the embedded engine; answers `menu` so its answers are recognisable."""

    name = "embedded"

    def __init__(self) -> None:
        self.calls = 0

    def parse(self, text: str) -> ParseResult:
        self.calls += 1
        return {
            "text": text,
            "intent": {"name": "menu", "confidence": 0.7},
            "entities": [],
            "intent_ranking": [{"name": "menu", "confidence": 0.7}],
        }

    def ready(self) -> bool:
        return True


@pytest.fixture
def fake() -> Iterator[FakeRasa]:
    with running_fake() as f:
        yield f


@pytest.fixture
def embedded() -> StubEmbedded:
    return StubEmbedded()


def make_client(url: str, embedded: StubEmbedded, **kw: float) -> RasaNLU:
    return RasaNLU(url, timeout=kw.pop("timeout", 2.0), fallback=embedded, **kw)


def test_answers_come_from_rasa_when_it_is_up(fake: FakeRasa, embedded: StubEmbedded) -> None:
    nlu = make_client(fake.url, embedded)
    result = nlu.parse("halo kak")
    assert result["intent"]["name"] == "greet"
    assert result["text"] == "halo kak"
    assert isinstance(result["entities"], list) and result["intent_ranking"]
    assert embedded.calls == 0
    assert nlu.ready()
    assert nlu.status() == {"backend": "rasa", "rasa_reachable": True, "fallback": "embedded"}


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_broken_rasa_falls_back_to_embedded(fake: FakeRasa, embedded: StubEmbedded, mode: str) -> None:
    fake.mode = mode
    nlu = make_client(fake.url, embedded)
    assert nlu.parse("halo kak")["intent"]["name"] == "menu"
    assert embedded.calls == 1
    assert nlu.status()["rasa_reachable"] is False
    assert nlu.ready()  # the bot still answers, through the fallback


def test_dead_rasa_falls_back_to_embedded(embedded: StubEmbedded) -> None:
    nlu = make_client(f"http://127.0.0.1:{free_port()}", embedded)  # nothing listens there
    assert nlu.parse("halo kak")["intent"]["name"] == "menu"
    assert nlu.status() == {"backend": "rasa", "rasa_reachable": False, "fallback": "embedded"}


def test_time_out_is_paid_once_not_per_message(fake: FakeRasa, embedded: StubEmbedded) -> None:
    fake.mode, fake.delay = "slow", 1.5
    nlu = make_client(fake.url, embedded, timeout=0.3, retry_after=60)
    assert nlu.parse("halo kak")["intent"]["name"] == "menu"
    seen = fake.requests
    for _ in range(5):  # within the back-off window Rasa is not asked again
        assert nlu.parse("halo kak")["intent"]["name"] == "menu"
    assert fake.requests == seen
    assert embedded.calls == 6


def test_recovers_when_rasa_comes_back(fake: FakeRasa, embedded: StubEmbedded) -> None:
    fake.mode = "error"
    nlu = make_client(fake.url, embedded, retry_after=0.2)
    assert nlu.parse("halo kak")["intent"]["name"] == "menu"
    fake.mode = "ok"
    time.sleep(0.3)  # let the back-off expire
    assert nlu.parse("halo kak")["intent"]["name"] == "greet"
    assert nlu.status()["rasa_reachable"] is True


def test_empty_intent_from_rasa_becomes_fallback(fake: FakeRasa, embedded: StubEmbedded) -> None:
    fake.intent = None  # what Rasa answers for an empty message
    result = make_client(fake.url, embedded).parse("")
    assert result["intent"]["name"] == FALLBACK


def test_danger_reaches_emergency_through_rasa(fake: FakeRasa, embedded: StubEmbedded) -> None:
    fake.intent = FALLBACK  # the classifier was unsure
    assert make_client(fake.url, embedded).parse(EMERGENCY_TEXT)["intent"]["name"] == "emergency"


def test_danger_reaches_emergency_through_the_fallback(embedded: StubEmbedded) -> None:
    nlu = make_client(f"http://127.0.0.1:{free_port()}", embedded)
    assert nlu.parse(EMERGENCY_TEXT)["intent"]["name"] == "emergency"


def test_message_text_is_never_logged(
    fake: FakeRasa, embedded: StubEmbedded, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "nomor saya 081234567890 tolong rahasiakan"
    caplog.set_level(logging.DEBUG)
    fake.mode = "error"
    nlu = make_client(fake.url, embedded, retry_after=0.1)
    nlu.parse(secret)
    fake.mode = "ok"
    time.sleep(0.2)
    nlu.parse(secret)
    assert caplog.records, "the outage and the recovery should be logged"
    assert "081234567890" not in caplog.text and "rahasiakan" not in caplog.text
