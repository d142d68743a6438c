"""What a caseworker does with a case: queue, claim, reply, notes, referral, resolve, hand back to the bot.

Every function takes an open Session and leaves committing to the caller; each action also writes
an AuditEvent in the same transaction, so an action without its audit record cannot exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot import sla
from bot.console import scope
from bot.language import pick
from bot.store import repo
from bot.store.models import (
    AuditEvent,
    CaseNote,
    Caseworker,
    Contact,
    Escalation,
    Message,
    Outbox,
    Referral,
    utcnow,
)
from flows.memory import Memory
from flows.runtime import State

CATEGORIES = ("emergency", "returnee_help", "report", "human_request", "offer_check")
STATUSES = ("open", "claimed", "resolved")
OUTCOMES = ("referred", "assisted", "information_given", "unreachable", "declined", "duplicate", "other")
MAX_REPLY_CHARS = 1600  # one WhatsApp message

BOT_BACK = {
    "id": "👋 Petugas sudah selesai di chat ini. Sekarang Anda kembali dengan Sahabat Migran (bot otomatis). "
    "Ketik *menu* untuk melihat pilihan, atau *petugas* kalau ingin bicara lagi dengan petugas.",
    "en": "👋 The caseworker has finished in this chat. You are back with Sahabat Migran (an automated bot). "
    "Type *menu* to see the options, or *person* if you want to talk to a caseworker again.",
}


class CaseError(Exception):
    """An action that cannot be done in the case's current state (shown to the caseworker)."""


class NotYours(CaseError):
    """The case is held by another caseworker (or not claimed yet) and this needs its holder: 403."""


# ---- who may do what -----------------------------------------------------------------------------
# Need to know: an open case can be read by every caseworker (to decide to claim it; an emergency
# must not wait for an admin), a claimed or resolved case only by its assignee and the admins.
# Acting on a case (reply, note, referral, resolve, release, hand back) needs the claim, or an admin.


def may_read(esc: Escalation, who: int, admin: bool) -> bool:
    return admin or esc.status == "open" or esc.assignee_id == who


def may_annotate(esc: Escalation, who: int, admin: bool) -> bool:
    """Notes and referrals: the assignee (also after resolving, for follow-up) or an admin."""
    return admin or (esc.status in ("claimed", "resolved") and esc.assignee_id == who)


def audit(s: Session, who: int | None, action: str, target: str = "", **detail: Any) -> None:
    s.add(AuditEvent(caseworker_id=who, action=action, target=target[:80], detail=detail))


# ---- queue ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    id: int
    reference: str
    category: str
    priority: int
    status: str
    province: str
    country: str
    summary: str
    assignee: str | None
    created_at: datetime
    age: timedelta
    target: timedelta
    overdue: bool
    answered: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "reference": self.reference,
            "category": self.category,
            "priority": self.priority,
            "status": self.status,
            "province": self.province or None,
            "country": self.country or None,
            "summary": self.summary,
            "assignee": self.assignee,
            "created_at": self.created_at.isoformat(),
            "age_seconds": int(self.age.total_seconds()),
            "target_seconds": int(self.target.total_seconds()),
            "overdue": self.overdue,
            "answered": self.answered,
        }


target_for = sla.target_for  # bot/sla.py decides


def is_overdue(esc: Escalation, targets: tuple[int, int], now: datetime) -> bool:
    """Past its target with nobody having answered yet (resolved cases are never overdue)."""
    if esc.status == "resolved":
        return False
    done = esc.first_response_at or now
    return done - esc.created_at > target_for(esc.priority, targets)


def queue(
    s: Session,
    targets: tuple[int, int],
    *,
    category: str | None = None,
    province: str | None = None,
    status: str | None = None,
    mine: int | None = None,
    viewer: scope.Viewer | None = None,
    now: datetime | None = None,
    limit: int = 500,
) -> list[QueueItem]:
    """Unresolved cases (or those of `status`): emergencies first, then the oldest. With a `viewer`,
    only the cases in their scope; the summary is always masked (no name, phone or exact place)."""
    now = now or utcnow()
    q = (
        select(Escalation, Caseworker.username, Contact.profile)
        .outerjoin(Caseworker, Caseworker.id == Escalation.assignee_id)
        .outerjoin(Contact, Contact.id == Escalation.contact_id)
    )
    if status in STATUSES:
        q = q.where(Escalation.status == status)
    else:
        q = q.where(Escalation.status != "resolved")
    if category in CATEGORIES:
        q = q.where(Escalation.category == category)
    if mine is not None:
        q = q.where(Escalation.assignee_id == mine)
    q = q.order_by(Escalation.priority, Escalation.created_at, Escalation.id).limit(limit)
    items = []
    for esc, username, profile in s.execute(q):
        details = esc.details or {}
        prov = str(details.get("province") or "")
        if province and prov.lower() != province.lower():  # few open cases: filtered here, not in JSON SQL
            continue
        if viewer is not None and not scope.in_scope(esc, viewer):
            continue
        items.append(
            QueueItem(
                id=esc.id,
                reference=esc.reference,
                category=esc.category,
                priority=esc.priority,
                status=esc.status,
                province=prov,
                country=str(details.get("country") or ""),
                summary=scope.mask_text(esc.summary, scope.secrets(details, profile)),
                assignee=username,
                created_at=esc.created_at,
                age=now - esc.created_at,
                target=target_for(esc.priority, targets),
                overdue=is_overdue(esc, targets, now),
                answered=esc.first_response_at is not None,
            )
        )
    return items


def provinces(s: Session, viewer: scope.Viewer | None = None) -> list[str]:
    """Provinces named in unresolved cases (of the viewer's regions), for the queue filter."""
    rows = s.scalars(select(Escalation.details).where(Escalation.status != "resolved"))
    names = {str(d.get("province")) for d in rows if d and d.get("province")}
    return sorted(p for p in names if viewer is None or scope.province_in_scope(p, viewer))


# ---- one case ------------------------------------------------------------------------------------


def by_reference(s: Session, reference: str) -> Escalation | None:
    return s.scalars(select(Escalation).where(Escalation.reference == reference)).first()


def transcript(s: Session, contact_id: int | None, after_id: int = 0, limit: int = 2000) -> list[Message]:
    if contact_id is None:
        return []
    q = (
        select(Message)
        .where(Message.contact_id == contact_id, Message.id > after_id)
        .order_by(Message.created_at, Message.id)
        .limit(limit)
    )
    return list(s.scalars(q))


def reply_status(s: Session, contact_id: int | None) -> dict[int, Outbox]:
    """The outbox rows of caseworker replies to this contact, by id."""
    if contact_id is None:
        return {}
    rows = s.scalars(select(Outbox).where(Outbox.contact_id == contact_id).order_by(Outbox.id))
    return {r.id: r for r in rows if (r.payload or {}).get("sender") == "caseworker"}


def is_template_send(row: Outbox) -> bool:
    """WhatsApp outside the 24-hour window: an approved template went out instead, and the reply
    itself waits until the person writes again (bot/outbox.py status "template")."""
    return row.status == "template" or bool((row.payload or {}).get("template_sids"))


def delivery_label(row: Outbox) -> str:
    """The furthest the provider reported (delivered, read), else the outbox status."""
    reported = ((row.payload or {}).get("delivery") or {}).get("status")
    return reported if reported and row.status == "sent" else row.status


def _authored(s: Session, model: type[CaseNote] | type[Referral], esc_id: int) -> list[tuple[Any, str | None]]:
    """A case's notes or referrals, oldest first, each with the username of the caseworker who wrote it."""
    q = (
        select(model, Caseworker.username)
        .outerjoin(Caseworker, Caseworker.id == model.caseworker_id)
        .where(model.escalation_id == esc_id)
        .order_by(model.created_at, model.id)
    )
    return [(row, u) for row, u in s.execute(q)]


def notes(s: Session, esc_id: int) -> list[tuple[CaseNote, str | None]]:
    return _authored(s, CaseNote, esc_id)


def referrals(s: Session, esc_id: int) -> list[tuple[Referral, str | None]]:
    return _authored(s, Referral, esc_id)


# ---- actions -------------------------------------------------------------------------------------


def claim(s: Session, esc: Escalation, who: int) -> None:
    """Take an open case. Two caseworkers clicking at once: exactly one wins.

    PostgreSQL: the row is locked with SKIP LOCKED, so the loser sees no row instead of waiting;
    everywhere: the UPDATE only matches while the case is still open."""
    locked = s.scalars(
        select(Escalation.id)
        .where(Escalation.id == esc.id, Escalation.status == "open")
        .with_for_update(skip_locked=True)
    ).first()
    now = utcnow()
    res = s.execute(
        update(Escalation)
        .where(Escalation.id == esc.id, Escalation.status == "open")
        .values(status="claimed", assignee_id=who, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if locked is None or res.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
        raise CaseError("Kasus ini sudah diambil petugas lain / already claimed by someone else")
    s.refresh(esc)
    _set_mode(s, esc, "human")
    audit(s, who, "claim", esc.reference)


def release(s: Session, esc: Escalation, who: int, *, admin: bool = False) -> None:
    """Put a claimed case back in the queue; the bot answers the person again meanwhile."""
    _require_holder(esc, who, admin)
    esc.status, esc.assignee_id, esc.claimed_at = "open", None, None
    _set_mode(s, esc, "bot")
    audit(s, who, "release", esc.reference)


def send_reply(s: Session, esc: Escalation, who: int, text: str, *, admin: bool = False) -> Outbox:
    """A reply in the person's chat: only while the case is claimed (the bot is silent then), by its
    holder or an admin."""
    _require_holder(esc, who, admin)
    text = text.strip()
    if not text:
        raise CaseError("Balasan kosong / the reply is empty")
    if len(text) > MAX_REPLY_CHARS:
        raise CaseError(f"Balasan terlalu panjang (maks. {MAX_REPLY_CHARS}) / reply too long")
    contact = s.get(Contact, esc.contact_id) if esc.contact_id else None
    if contact is None:
        raise CaseError("Data orang ini sudah dihapus atas permintaannya / the person's data was erased")
    from bot.console.sending import send_from_caseworker

    row = send_from_caseworker(s, contact, text)
    if esc.first_response_at is None:
        esc.first_response_at = utcnow()
    audit(s, who, "reply", esc.reference, outbox_id=row.id, chars=len(text))
    return row


def end_handoff(s: Session, esc: Escalation, who: int, *, admin: bool = False) -> None:
    """The bot takes the chat back and tells the person so (the case itself may stay open)."""
    if not admin and not (esc.status in ("claimed", "resolved") and esc.assignee_id == who):
        raise NotYours("Ambil kasus ini dulu / claim this case first")
    if _set_mode(s, esc, "bot", announce=True):
        audit(s, who, "end_handoff", esc.reference)


def resolve(
    s: Session, esc: Escalation, who: int, outcome: str, note: str = "", *, admin: bool = False
) -> None:
    if esc.status == "resolved":
        raise CaseError("Kasus sudah selesai / already resolved")
    if not admin:  # an admin may close an unclaimed case (a duplicate, spam) without claiming it
        _require_holder(esc, who, admin)
    if outcome not in OUTCOMES:
        raise CaseError("Pilih hasil / choose an outcome")
    esc.status, esc.outcome, esc.resolved_at = "resolved", outcome, utcnow()
    if esc.assignee_id is None:
        esc.assignee_id = who
    if note.strip():
        add_note(s, esc, who, note, admin=admin)
    _set_mode(s, esc, "bot", announce=True)
    audit(s, who, "resolve", esc.reference, outcome=outcome)


def add_note(s: Session, esc: Escalation, who: int, text: str, *, admin: bool = False) -> CaseNote:
    _require_annotator(esc, who, admin)
    text = text.strip()
    if not text:
        raise CaseError("Catatan kosong / the note is empty")
    note = CaseNote(escalation_id=esc.id, caseworker_id=who, text=text[:10_000])
    s.add(note)
    s.flush()
    audit(s, who, "note", esc.reference, note_id=note.id)
    return note


def add_referral(
    s: Session, esc: Escalation, who: int, kind: str, target_id: str, note: str = "", *, admin: bool = False
) -> Referral:
    from bot.console.canned import referral_targets

    _require_annotator(esc, who, admin)
    if target_id not in referral_targets().get(kind, {}):
        raise CaseError("Pilih sentra atau layanan dari daftar / choose from the list")
    ref = Referral(
        escalation_id=esc.id, caseworker_id=who, kind=kind, target_id=target_id, note=note.strip()[:2000]
    )
    s.add(ref)
    s.flush()
    audit(s, who, "referral", esc.reference, kind=kind, referred_to=target_id)
    return ref


def _require_holder(esc: Escalation, who: int, admin: bool) -> None:
    if esc.status == "resolved":
        raise CaseError("Kasus sudah selesai / already resolved")
    if esc.status != "claimed":
        raise NotYours("Ambil kasus ini dulu / claim this case first")
    if esc.assignee_id != who and not admin:
        raise NotYours("Kasus ini dipegang petugas lain / another caseworker holds this case")


def _require_annotator(esc: Escalation, who: int, admin: bool) -> None:
    if may_annotate(esc, who, admin):
        return
    if esc.status == "open":
        raise NotYours("Ambil kasus ini dulu / claim this case first")
    raise NotYours("Hanya petugas kasus ini atau admin / only this case's caseworker or an admin")


def _set_mode(s: Session, esc: Escalation, mode: str, *, announce: bool = False) -> bool:
    """Switch the person's conversation between bot and human; True when it changed."""
    contact = s.get(Contact, esc.contact_id) if esc.contact_id else None
    if contact is None:
        return False
    conv = repo.lock_conversation(s, contact)
    if conv.mode == mode:
        return False
    conv.mode = mode
    # Memory.case tells the engine this person has a case, so what they write is stored for the
    # caseworker (bot/turn/privacy.may_store_text); a claimed chat must keep the person's answers readable.
    if mode == "human":
        state = State.from_dict(conv.state)
        state.memory.case = True
        conv.state = state.as_dict()
    else:
        # The bot starts afresh rather than resuming a question asked before the handoff.
        conv.state = State(memory=Memory(case=True)).as_dict()
        if announce:
            text = pick(BOT_BACK, contact.language)
            from bot.console.sending import mark_no_push_sent

            mark_no_push_sent(repo.enqueue_replies(s, contact, [{"text": text}], sender="bot"))
            repo.add_message(s, contact, "out", text, sender="bot", meta={"handoff": "ended"})
    return True
