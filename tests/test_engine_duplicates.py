"""A channel delivering the same message again (a timeout, a retry) gets no second answer, and the
copy is recognised before the bot reads it again: nothing of the turn runs twice."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.app_state import Runtime, build_runtime
from bot.config import Settings
from bot.messages import Inbound
from bot.store.models import Message
from nlu.base import NLU, ParseResult


class CountingNLU:
    """The real NLU, counting what it is asked to read."""

    def __init__(self, inner: NLU) -> None:
        self.inner, self.name, self.texts = inner, inner.name, list[str]()

    def parse(self, text: str) -> ParseResult:
        self.texts.append(text)
        return self.inner.parse(text)

    def ready(self) -> bool:
        return self.inner.ready()


@pytest.fixture
def counted(settings: Settings, nlu: NLU) -> Iterator[tuple[Runtime, CountingNLU]]:
    spy = CountingNLU(nlu)
    rt = build_runtime(settings, nlu=spy)
    yield rt, spy
    rt.db.dispose()


def _stored(rt: Runtime, direction: str) -> int:
    with rt.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Message).where(Message.direction == direction)) or 0)


def test_a_redelivered_message_is_answered_once_and_not_read_again(counted: tuple[Runtime, CountingNLU]) -> None:
    rt, spy = counted
    first = rt.engine.handle(Inbound("telegram", "77", text="mau tanya syarat kerja ke Taiwan", message_id="u-1"),
                             enqueue=True)
    assert first
    answered = _stored(rt, "out")
    read = len(spy.texts)

    again = rt.engine.handle(Inbound("telegram", "77", text="mau tanya syarat kerja ke Taiwan", message_id="u-1"),
                             enqueue=True)
    assert again == []
    assert len(spy.texts) == read  # recognised as a copy before the NLU
    assert (_stored(rt, "in"), _stored(rt, "out")) == (1, answered)

    # The same id on another channel is another message.
    assert rt.engine.handle(Inbound("whatsapp", "77", text="halo", message_id="u-1"))
    assert _stored(rt, "in") == 2
