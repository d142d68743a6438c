"""One inbound message -> NLU -> flow -> replies. Channel-agnostic; state lives in the database."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot import events, metrics, sla
from bot.events import EmergencyRaised
from bot.knowledge.content import CONTENT_DIR, use_content_dir
from bot.language import DETECTED, detect_language, pick
from bot.messages import Button, Inbound, Reply
from bot.quick_exit import is_quick_exit, load_words
from bot.replies import split_long
from bot.store import repo
from bot.store.agencies import AgencyMatch, find_agency
from bot.store.db import Database
from bot.store.models import Agency, Contact, Conversation, Escalation, Message, OfferCheck, utcnow
from flows.actions_crisis import handoff_crisis_reply
from flows.actions_emergency import handoff_danger_reply
from flows.answers import yes_no
from flows.interpreter import Interpreter
from flows.memory import Memory
from flows.runtime import State, Turn, render
from flows.schema import FlowSet
from flows.texts import find_country
from nlu.base import NLU
from nlu.safety import is_danger, says_safe

log = logging.getLogger(__name__)

LAST_SEEN_RESOLUTION = timedelta(minutes=1)
# A person can always leave or erase their data, even while a caseworker holds the chat.
ALWAYS_BOT = ("delete_data", "quick_exit")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _message_row(
    contact: Contact, direction: str, sender: str, text: str, message_id: str | None, meta: dict[str, Any]
) -> dict[str, Any]:
    return {
        "contact_id": contact.id, "channel": contact.channel, "channel_message_id": message_id,
        "direction": direction, "sender": sender, "text": text, "meta": meta, "created_at": utcnow(),
    }


def _notify(s: Session, esc: Escalation) -> None:
    """A case became an emergency: the notifier, subscribed at start-up, tells the caseworkers."""
    events.publish(s, EmergencyRaised(s, esc))


UNSAVED_KEEP = 3  # messages written before consent, held in the conversation state
UNSAVED_TTL = timedelta(hours=2)


def _hold_unsaved(
    s: Session, contact: Contact, msg: Inbound, turn: Turn, kept: bool, conv: Conversation, state: State,
    services: FlowServices,
) -> None:
    """What someone wrote before consent (a mother's whole story) is held in the conversation state,
    not in the transcript; once they consent or a case opens it goes into the transcript, so nobody is
    asked to tell it again. Declining consent, or two hours, forgets it."""
    held = [e for e in state.memory.unsaved if _fresh(e[2])]
    if services.case_opened or contact.consent_at is not None:
        if held:
            for message_id, text, _at in held:
                if message_id:
                    s.execute(
                        update(Message)
                        .where(Message.contact_id == contact.id, Message.channel == contact.channel,
                               Message.channel_message_id == message_id)
                        .values(text=text)
                    )
        state.memory.unsaved = []
        return
    declined = turn.intent == "deny" and (conv.state or {}).get("step") == "consent"
    if declined:
        state.memory.unsaved = []
        return
    if not kept and turn.text and not turn.from_button:
        held = [*held, [msg.message_id, turn.text[:2000], utcnow().isoformat()]][-UNSAVED_KEEP:]
    state.memory.unsaved = held


def _fresh(at: str) -> bool:
    try:
        return utcnow() - datetime.fromisoformat(at) < UNSAVED_TTL
    except (TypeError, ValueError):
        return False


def _country_said(s: Session, contact: Contact) -> str | None:
    """The country the person named most recently in this chat (what they wrote before the handoff)."""
    q = (
        select(Message.text)
        .where(Message.contact_id == contact.id, Message.direction == "in", Message.text != "")
        .order_by(Message.id.desc())
        .limit(30)
    )
    for text in s.scalars(q):
        found = find_country(text)
        if found:
            return found
    return None


def _clean(msg: Inbound) -> None:
    """Control characters (NUL above all: PostgreSQL refuses it in text) carry no meaning in chat."""
    msg.text = _CONTROL.sub("", msg.text)
    msg.sender_id = _CONTROL.sub("", msg.sender_id)
    if msg.message_id is not None:
        msg.message_id = _CONTROL.sub("", msg.message_id).strip() or None
    if msg.payload:
        msg.payload = _CONTROL.sub("", msg.payload)


def _danger_in_head(text: str, limit: int) -> bool:
    """The safety net on the first part of an over-long message (and its first lines, where a bare
    "tolong tolong" is still recognised as a cry)."""
    from nlu.safety import is_danger

    return is_danger(text[:limit]) or is_danger(text[:280])


_PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<data>\{.*\})?\s*$", re.S)
_COMMAND_ALIASES = {"start": "greet", "help": "menu", "bantuan": "menu", "stop": "quick_exit"}
_MEDIA_NAMES = {
    "photo": {"id": "foto", "en": "photos"},
    "voice": {"id": "pesan suara", "en": "voice notes"},
    "audio": {"id": "audio", "en": "audio"},
    "video": {"id": "video", "en": "videos"},
    "sticker": {"id": "stiker", "en": "stickers"},
    "document": {"id": "dokumen", "en": "documents"},
}
_ATTACHMENTS = {"id": "lampiran", "en": "attachments"}


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
    ) -> None:
        self.targets = targets  # (emergency minutes, other hours)
        self.db = db
        self.nlu = nlu
        self.flows = flows
        self.interpreter = Interpreter(flows, strict=strict_contracts)
        self.max_text_chars = max_text_chars
        self.content_dir = content_dir  # None: the repository's content/ (bot/knowledge/content.py)
        self.exit_words = load_words(content_dir or CONTENT_DIR)
        # Flows that run in the bot even while a caseworker holds the chat, with their questions.
        self.always_bot_flows = {self.interpreter.flow_for(i) for i in ALWAYS_BOT} - {"fallback"}

    # -- public ----------------------------------------------------------------------------
    def handle(self, msg: Inbound, *, enqueue: bool = False) -> list[Reply]:
        """Process one message exactly once; a repeated channel message id gets no second reply.

        With `enqueue`, the replies are also put in the outbox in the same transaction as the
        inbound message, so an acknowledged message never loses its answer."""
        with use_content_dir(self.content_dir):  # every text of this turn from SAHABAT_CONTENT_DIR
            return self._handle(msg, enqueue)

    def _handle(self, msg: Inbound, enqueue: bool) -> list[Reply]:
        _clean(msg)
        started = time.perf_counter()
        turn = self._understand(msg)
        if turn is not None and turn.nlu:
            metrics.NLU_LATENCY.labels(self.nlu.name).observe(time.perf_counter() - started)
        for attempt in range(3):
            try:
                with self.db.session() as s:
                    return self._handle_in_session(s, msg, turn, enqueue)
            except IntegrityError:
                if msg.message_id is None:
                    raise
                # The same channel message id stored by a concurrent delivery: it is a duplicate.
                metrics.DUPLICATES.labels(msg.channel).inc()
                return []
            except StaleDataError:  # another worker moved this conversation on; run again on its state
                if attempt == 2:
                    raise
                time.sleep(0.01 * (attempt + 1))
            except DBAPIError as exc:
                # A pooled connection the database server dropped (restart, outage): the pool has
                # discarded it, so one more try runs on a fresh connection. Nothing was committed.
                if not exc.connection_invalidated or attempt == 2:
                    raise
        return []

    # -- understanding ----------------------------------------------------------------------
    def _understand(self, msg: Inbound) -> Turn | None:
        """NLU runs before the transaction so row locks are held only for bookkeeping."""
        raw = msg.payload or msg.text.strip()
        if is_quick_exit(raw, self.exit_words):  # before the NLU and any pending question
            return Turn(text="", intent="quick_exit", from_button=True)
        m = _PAYLOAD.match(raw) if raw.startswith("/") else None
        if m:
            intent = _COMMAND_ALIASES.get(m.group("intent"), m.group("intent"))
            data: dict[str, Any] = {}
            if m.group("data"):
                try:
                    data = json.loads(m.group("data"))
                except ValueError:
                    data = {}
            value = data.get("value") if isinstance(data, dict) else None
            entities = [{"entity": k, "value": v} for k, v in data.items() if k != "value"]
            return Turn(
                text="",
                intent=intent,
                confidence=1.0,
                entities=entities,
                value=str(value) if value is not None else None,
                location=msg.location,
                from_button=True,
            )
        text = msg.text.strip()
        if msg.location is not None:
            return Turn(text=text, intent="share_location", location=msg.location)
        if len(text) > self.max_text_chars and _danger_in_head(text, self.max_text_chars):
            # Too long to analyse, but a cry for help at its start still reaches the emergency path.
            return Turn(text=text[: self.max_text_chars], intent="emergency", confidence=1.0)
        if not text or len(text) > self.max_text_chars or not any(ch.isalnum() for ch in text):
            return None  # handled as a special case inside the session
        result = self.nlu.parse(text)
        top = result.get("intent") or {}
        return Turn(
            text=text,
            intent=str(top.get("name") or "nlu_fallback"),
            confidence=float(top.get("confidence") or 0.0),
            entities=list(result.get("entities") or []),
            nlu=result,
        )

    # -- the turn --------------------------------------------------------------------------
    def _handle_in_session(self, s: Session, msg: Inbound, turn: Turn | None, enqueue: bool) -> list[Reply]:
        # A repeated channel message id is caught by the unique constraint when the turn's messages
        # are inserted: the whole turn rolls back (see handle), sparing a query on every message.
        contact, conv = repo.contact_and_conversation(s, msg.channel, msg.sender_id)
        lang = self._language(contact, msg, turn)
        now = utcnow()
        if now - contact.last_seen_at > LAST_SEEN_RESOLUTION:  # spare an UPDATE on every message
            contact.last_seen_at = now
        keep_text = self._may_store_text(s, contact, conv, turn)
        # Written in one multi-row INSERT at the end: cheaper than ORM objects on this hot path.
        rows = [
            _message_row(contact, "in", "user", msg.text if keep_text else "", msg.message_id,
                         self._in_meta(msg, turn, keep_text))
        ]
        state = State.from_dict(conv.state)
        services = FlowServices(s, contact, conv, self.targets, case_gate=msg.case_gate)
        services.unsaved = [e[1] for e in state.memory.unsaved]
        if conv.mode == "human" and not self._bot_answers(s, conv, state, turn):
            replies = self._human_mode(s, contact, conv, turn, rows[0]["meta"])
        elif turn is None:
            replies = self._special(msg, lang)
        elif turn.intent == "share_location" and not state.waiting:
            # Remember the point, so "ya" (or the button) finds the sentra near it without asking again.
            loc = {"lat": msg.location.lat, "lon": msg.location.lon} if msg.location else None
            state.memory.yes, state.memory.place_given = "find_sentra", loc
            repo.save_state(s, conv, state.as_dict())
            replies = [
                Reply(
                    self._msg("location_unexpected", lang),
                    [
                        self._button("button_yes", lang, "/find_sentra"),
                        self._button("button_no", lang, "/menu"),
                    ],
                )
            ]
        else:
            outcome = self.interpreter.handle(state, turn, lang, services)
            replies, state, lang = outcome.replies, outcome.state, outcome.lang
            if services.deleted:  # the contact is gone: answer once, keep nothing
                replies = split_long(replies)
                if enqueue:
                    dicts = [r.as_dict() for r in replies]
                    repo.queue_replies(s, None, dicts, channel=msg.channel, chat_id=msg.sender_id)
                return replies
            if services.case_opened:
                state.memory.case = True
            _hold_unsaved(s, contact, msg, turn, keep_text, conv, state, services)
            repo.save_state(s, conv, state.as_dict())
        replies = split_long(replies)
        if enqueue and replies:
            repo.queue_replies(s, contact, [r.as_dict() for r in replies])
        keep_out = keep_text or contact.consent_at is not None
        rows += [
            _message_row(contact, "out", "bot", r.text if keep_out else "", None,
                         {"buttons": len(r.buttons)} if r.buttons else {})
            for r in replies
        ]
        repo.insert_rows(s, Message.__table__, rows)
        metrics.MESSAGES_IN.labels(msg.channel).inc()
        metrics.MESSAGES_OUT.labels(msg.channel).inc(len(replies))
        return replies

    def _language(self, contact: Contact, msg: Inbound, turn: Turn | None) -> str:
        # A language the guess cannot recognise was chosen on purpose ("bahasa xish"): keep it, even when
        # its speaker writes a word of English or Indonesian.
        if turn is not None and not turn.from_button and contact.language in DETECTED:
            guess = detect_language(turn.text)
            if guess and guess != contact.language:
                contact.language = guess
        return contact.language

    @staticmethod
    def _may_store_text(s: Session, contact: Contact, conv: Conversation, turn: Turn | None) -> bool:
        """Message text is kept only with consent, in an open case, or when someone is in danger."""
        if contact.consent_at is not None:
            return True
        if turn is not None and turn.intent in ("emergency", "self_harm"):
            return True
        if not Memory.from_state(conv.state).case:
            return False  # never had a case: no need to ask the database
        return repo.open_escalation(s, contact.id) is not None

    @staticmethod
    def _in_meta(msg: Inbound, turn: Turn | None, kept: bool) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        if turn is not None:
            meta["intent"] = turn.intent
            meta["confidence"] = round(turn.confidence, 3)
        if msg.media_kind:
            meta["media"] = msg.media_kind
        if msg.location is not None and kept:
            meta["location"] = {"lat": msg.location.lat, "lon": msg.location.lon}
        if not kept and msg.text:
            meta["redacted"] = True
        return meta

    def _bot_answers(self, s: Session, conv: Conversation, state: State, turn: Turn | None) -> bool:
        """While a caseworker holds the chat, erasure and quick exit still run in the bot, and so does
        the answer to their confirmation question ("ya", "1", "ok"). Any other message drops that
        question and goes to the caseworker, so the chat never sticks at it."""
        if turn is None:
            return False
        if turn.intent in ALWAYS_BOT:
            return True
        if not (state.waiting and state.flow in self.always_bot_flows):
            return False
        if turn.from_button or yes_no(turn) is not None:
            return True
        state.flow = state.step = None
        repo.save_state(s, conv, state.as_dict())
        return False

    def _human_mode(
        self, s: Session, contact: Contact, conv: Conversation, turn: Turn | None, meta: dict[str, Any]
    ) -> list[Reply]:
        """A caseworker holds the chat: the bot stays silent, except for danger. Then the person gets the
        numbers for where they are at once, the message is flagged for the caseworker, and the case the
        caseworker holds is raised to emergency with an alert (the caseworker may be away or asleep)."""
        if turn is None:
            return []
        crisis = turn.intent == "self_harm"
        # The safety layer's reading always counts; the classifier's alone not where the person says
        # they are safe ("iya aman, saya di kamar" answering the caseworker reads as danger by its words).
        danger = bool(turn.text) and is_danger(turn.text)
        if not (crisis or danger or (turn.intent == "emergency" and not says_safe(turn.text))):
            return []
        meta["danger"] = True
        now = utcnow().isoformat()
        esc = repo.open_escalation(s, contact.id)  # the claimed case first
        country = find_country(turn.text, turn.entities) or Memory.from_state(conv.state).country
        if esc is None:
            country = country or _country_said(s, contact)
            details: dict[str, Any] = {"situation": "danger", "danger_during_handoff": 1, "danger_last_at": now}
            if country:
                details["country"] = country
            if crisis:
                details["situation"] = "self_harm"
            repo.create_escalation(s, contact, "emergency", sla.PRIORITY["emergency"],
                                   "self-harm risk during a handoff" if crisis else "danger reported during a handoff",
                                   details)
        else:
            country = country or (esc.details or {}).get("country") or _country_said(s, contact)
            details = {**(esc.details or {}), "danger_last_at": now}
            details["danger_during_handoff"] = int(details.get("danger_during_handoff") or 0) + 1
            if country and not details.get("country"):
                details["country"] = country
            raise_it = esc.priority > sla.PRIORITY["emergency"]
            if raise_it:
                esc.priority = sla.PRIORITY["emergency"]
                details["raised_to_emergency_at"] = now
            esc.details = details
            if raise_it:
                _notify(s, esc)
        if crisis:  # never the trafficking advice: the calm reply with the crisis contacts
            return [Reply(handoff_crisis_reply(contact.language, country))]
        return [Reply(handoff_danger_reply(contact.language, country))]

    def _special(self, msg: Inbound, lang: str) -> list[Reply]:
        text = msg.text.strip()
        back = [Button(b.title.get(lang), b.payload) for b in self.flows.menus["main"]]
        if msg.media_kind and not text:
            media = pick(_MEDIA_NAMES.get(msg.media_kind, _ATTACHMENTS), lang)
            return [Reply(render(self.flows.messages["media"], lang, {"media": media}))]
        if not text:
            return [Reply(self._msg("empty", lang), back)]
        if len(text) > self.max_text_chars:
            return [Reply(render(self.flows.messages["too_long"], lang, {"limit": self.max_text_chars}))]
        return [Reply(self._msg("no_text", lang), back)]

    def _msg(self, key: str, lang: str) -> str:
        return self.flows.messages[key].get(lang)

    def _button(self, key: str, lang: str, payload: str) -> Button:
        return Button(self._msg(key, lang), payload)


class FlowServices:
    """Side effects a flow may ask for, bound to one contact within the current transaction."""

    def __init__(
        self, s: Session, contact: Contact, conv: Conversation, targets: tuple[int, int],
        case_gate: Callable[[str], bool] | None = None,
    ) -> None:
        self.s, self.contact, self.conv, self.targets = s, contact, conv, targets
        self.case_gate = case_gate  # see Inbound.case_gate
        self.deleted = False
        self.case_opened = False
        self.unsaved: list[str] = []  # what the person wrote before consent (engine._hold_unsaved)

    def has_consent(self) -> bool:
        return self.contact.consent_at is not None

    def save_profile(self, **fields: Any) -> None:
        self.contact.profile = {**(self.contact.profile or {}), **fields}

    def record_followup(self, reference: str, helped: bool) -> None:
        """The person's answer goes into the case; "no" opens a new case so a caseworker calls back."""
        esc = self.s.scalars(select(Escalation).where(Escalation.reference == reference)).first()
        if esc is None or esc.contact_id != self.contact.id:
            return
        esc.details = {
            **(esc.details or {}),
            "followup_helped": helped,
            "followup_answered_at": utcnow().isoformat(),
        }
        if not helped:
            details = {
                k: v for k, v in esc.details.items() if k in ("province", "country", "situation", "needs")
            }
            details["followup_of"] = reference
            self.escalate(esc.category, 1, f"follow-up: help not received ({reference})", details)

    def agency_list_date(self) -> date | None:
        return self.s.scalars(select(Agency.list_date).limit(1)).first()

    def find_agency(self, name: str) -> tuple[list[AgencyMatch], date | None]:
        return find_agency(self.s, name)

    def response_target(self, priority: int) -> tuple[int, str]:
        return sla.target_words(priority, self.targets)

    def escalate(self, category: str, priority: int, summary: str, details: dict[str, Any]) -> str:
        """One person has one open case: a new need joins the open one (details, and a note when it is
        a different need) instead of opening a second case; a more urgent need raises its priority.
        "" when the channel's gate refused a new case (nothing opened)."""
        existing = repo.open_escalation(self.s, self.contact.id)
        if existing is None and self.case_gate is not None and not self.case_gate(category):
            log.warning("new %s case not opened: the channel's client is over its cap", category)
            metrics.CASES_REFUSED.labels(self.contact.channel, category).inc()
            return ""
        self.case_opened = True
        if self.unsaved:
            details = {"said_before_consent": list(self.unsaved), **details}
        if existing is None:
            return repo.create_escalation(self.s, self.contact, category, priority, summary, details).reference
        if repo.join_case(self.s, existing, category, priority, summary, details):
            _notify(self.s, existing)
        return existing.reference

    def set_consent(self, given: bool) -> None:
        self.contact.consent_at = utcnow() if given else None

    def set_language(self, lang: str) -> None:
        self.contact.language = lang

    def record_offer_check(self, method: str, risk: str, flags: list[str]) -> None:
        self.s.add(OfferCheck(channel=self.contact.channel, method=method, risk=risk, flags=flags))

    def delete_personal_data(self) -> None:
        from bot.store.erase import erase_contact

        erase_contact(self.s, self.contact)
        self.deleted = True
