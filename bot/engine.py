"""One inbound message -> NLU -> flow -> replies, as a short pipeline of the stages in bot/turn/;
flows get the side effects of bot/services/. Channel-agnostic; state lives in the database."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from sqlalchemy.orm import Session

from bot import metrics
from bot.knowledge.content import CONTENT_DIR, use_content_dir
from bot.language import DETECTED, detect_language
from bot.messages import CHAT_MESSAGE_ID, Inbound, Reply
from bot.quick_exit import load_words
from bot.replies import split_long
from bot.services import FlowServices
from bot.store import repo
from bot.store.db import Database
from bot.store.models import Contact, Conversation, Message, utcnow
from bot.turn.handoff import ALWAYS_BOT, bot_answers, human_mode
from bot.turn.offline import DatabaseDownWithReplies, offline_replies
from bot.turn.privacy import held_texts, hold_unsaved, may_store_text
from bot.turn.special import location_unexpected, special
from bot.turn.transaction import Duplicate, run_once
from bot.turn.transcript import inbound_row, reply_rows
from bot.turn.understand import understand
from bot.voice.readback import read_back
from flows.interpreter import Interpreter
from flows.runtime import ActionContext, State, Turn
from flows.schema import FlowSet
from nlu.base import NLU

LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def _retract(replies: list[Reply], ids: list[str], msg: Inbound) -> None:
    """The quick exit's answer deletes the chat's messages first, the one that asked included."""
    own = msg.metadata.get(CHAT_MESSAGE_ID)
    wanted = [*ids, str(own)] if own else ids
    for r in replies:
        if r.clear_chat:
            r.retract = list(dict.fromkeys(wanted))
            return


class Engine:
    def __init__(
        self,
        db: Database,
        nlu: NLU,
        flows: FlowSet,
        *,
        max_text_chars: int = 4096,
        targets: tuple[int, int] = (15, 24),
        content_dir: Path | None = None,
        strict_contracts: bool = True,
        delete_windows: Mapping[str, timedelta] | None = None,
    ) -> None:
        self.targets = targets  # (emergency minutes, other hours)
        self.db = db
        self.nlu = nlu
        self.flows = flows
        self.interpreter = Interpreter(flows, strict=strict_contracts)
        self.max_text_chars = max_text_chars
        self.content_dir = content_dir  # None: the repository's content/ (bot/knowledge/content.py)
        # channel -> how old a message the bot may still delete (Capabilities.delete_window)
        self.delete_windows = dict(delete_windows or {})
        self.exit_words = load_words(content_dir or CONTENT_DIR)
        # Flows that run in the bot even while a caseworker holds the chat, with their questions.
        self.always_bot_flows = {self.interpreter.flow_for(i) for i in ALWAYS_BOT} - {"fallback"}

    def handle(self, msg: Inbound, *, enqueue: bool = False) -> list[Reply]:
        """Process one message exactly once; a repeated channel message id gets no second reply.

        With `enqueue`, the replies are also put in the outbox in the same transaction as the
        inbound message, so an acknowledged message never loses its answer."""
        with use_content_dir(self.content_dir):  # every text of this turn from SAHABAT_CONTENT_DIR
            # Understood once, after the duplicate check (a repeated delivery costs no NLU), and kept
            # if the transaction runs again.
            understood: list[Turn | None] = []

            def heard() -> Turn | None:
                if not understood:
                    understood.append(understand(msg, self.nlu, self.exit_words, self.max_text_chars))
                return understood[0]

            try:
                return run_once(self.db, msg, lambda s: self._turn(s, msg, heard, enqueue))
            except (DBAPIError, SQLAlchemyTimeout) as exc:
                # The database is unreachable (or stalled past the pool's wait): nothing is stored and the
                # channel will deliver the message again, but danger still gets the numbers now.
                if isinstance(exc, IntegrityError) or not (replies := offline_replies(heard())):
                    raise
                raise DatabaseDownWithReplies(exc, replies) from exc

    def start_flow(
        self, s: Session, contact: Contact, flow: str, intent: str, *, memory: dict[str, Any], meta: dict[str, Any]
    ) -> list[Reply] | None:
        """A turn the bot starts (a follow-up check-in) in the caller's transaction: nothing is stored as
        the person's words and their last_seen_at and language stay. It never interrupts a caseworker or
        a question being answered (None). The replies go to the outbox and the transcript with `meta`."""
        with use_content_dir(self.content_dir):
            conv = repo.lock_conversation(s, contact)
            if conv.mode == "human" or (conv.state or {}).get("step"):
                return None
            state = State.from_dict(conv.state)
            state.memory = dataclasses.replace(state.memory, **memory)
            services = FlowServices(s, contact, conv, self.targets)
            ctx = ActionContext(lang=contact.language, state=state, turn=Turn(text="", intent=intent), services=services)
            self.interpreter.start(ctx, flow)
            repo.save_state(s, conv, ctx.state.as_dict())
            replies = split_long(ctx.replies)
            # "purpose": the flow the bot started; outside WhatsApp's window its own template goes out.
            repo.queue_replies(s, contact, [{**r.as_dict(), "purpose": flow} for r in replies])
            repo.insert_rows(s, Message.__table__, reply_rows(contact, replies, True, meta))
            return replies

    # -- the turn: contact -> route -> store policy -> replies -> outbox --------------------------
    def _turn(self, s: Session, msg: Inbound, heard: Callable[[], Turn | None], enqueue: bool) -> list[Reply]:
        # A repeated channel message id is seen by the first query, under the conversation's lock,
        # before any NLU or flow work; one that races it is refused by the unique constraint when the
        # turn's messages are inserted, and the whole turn rolls back (see run_once).
        contact, conv, seen = repo.contact_and_conversation(s, msg.channel, msg.sender_id, msg.message_id)
        if seen:
            raise Duplicate
        turn = heard()
        lang = self._language(contact, turn)
        now = utcnow()
        if now - contact.last_seen_at > LAST_SEEN_RESOLUTION:  # spare an UPDATE on every message
            contact.last_seen_at = now
        keep_text = may_store_text(s, contact, conv, turn)
        rows = [inbound_row(contact, msg, turn, keep_text)]
        state = State.from_dict(conv.state)
        services = FlowServices(s, contact, conv, self.targets, case_gate=msg.case_gate,
                                delete_window=self.delete_windows.get(msg.channel))
        services.unsaved = held_texts(state)
        if conv.mode == "human" and not bot_answers(s, conv, state, turn, self.always_bot_flows):
            replies = human_mode(s, contact, conv, turn, rows[0]["meta"])
        elif turn is None:
            replies = special(self.flows, msg, lang, self.max_text_chars)
        elif turn.intent == "share_location" and not state.waiting:
            # Remember the point, so "ya" (or the button) finds the sentra near it without asking again.
            loc = {"lat": msg.location.lat, "lon": msg.location.lon} if msg.location else None
            state.memory.yes, state.memory.place_given = "find_sentra", loc
            repo.save_state(s, conv, state.as_dict())
            replies = location_unexpected(self.flows, lang)
        else:
            replies = self._flow(s, msg, turn, keep_text, conv, state, services, lang)
        replies = split_long(read_back(msg, lang, replies))  # a voice note: what was heard, first
        if services.deleted:  # the contact is gone: answer once, keep nothing
            if services.delete_window is not None:
                _retract(replies, services.retract, msg)
            if enqueue:
                # No contact is left to read the language from: the row carries it (channel texts).
                dicts = [{**r.as_dict(), "lang": lang} for r in replies]
                repo.queue_replies(s, None, dicts, channel=msg.channel, chat_id=msg.sender_id)
            return replies
        if enqueue and replies:
            repo.queue_replies(s, contact, [r.as_dict() for r in replies])
        rows += reply_rows(contact, replies, keep_text or contact.consent_at is not None)
        repo.insert_rows(s, Message.__table__, rows)
        metrics.MESSAGES_IN.labels(msg.channel).inc()
        metrics.MESSAGES_OUT.labels(msg.channel).inc(len(replies))
        if msg.pull:  # a caseworker's replies since the last turn come first (already in the transcript)
            return repo.take_waiting(s, contact.id, msg.channel) + replies
        return replies

    def _flow(
        self, s: Session, msg: Inbound, turn: Turn, keep_text: bool, conv: Conversation, state: State,
        services: FlowServices, lang: str,
    ) -> list[Reply]:
        outcome = self.interpreter.handle(state, turn, lang, services)
        if services.deleted:
            return outcome.replies
        if services.case_opened:
            outcome.state.memory.case = True
        hold_unsaved(s, services.contact, msg, turn, keep_text, conv, outcome.state, services.case_opened)
        repo.save_state(s, conv, outcome.state.as_dict())
        return outcome.replies

    @staticmethod
    def _language(contact: Contact, turn: Turn | None) -> str:
        # A language the guess cannot recognise was chosen on purpose ("bahasa xish"): keep it, even when
        # its speaker writes a word of English or Indonesian.
        if turn is not None and not turn.from_button and contact.language in DETECTED:
            guess = detect_language(turn.text)
            if guess and guess != contact.language:
                contact.language = guess
        return contact.language
