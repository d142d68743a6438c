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
from bot.console.i18n import Bi, message
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
    due_at: datetime | None = None  # first answer due (None once answered or resolved)
    time_left: timedelta | None = None  # negative when overdue

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
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "seconds_left": int(self.time_left.total_seconds()) if self.time_left is not None else None,
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
    """Unresolved cases (or those of `status`): the unanswered first (emergencies, then by due time),
    then the answered ones (emergencies first, then the oldest). With a `viewer`,
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
        unanswered = esc.first_response_at is None and esc.status != "resolved"
        due = esc.created_at + target_for(esc.priority, targets) if unanswered else None
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
                due_at=due,
                time_left=due - now if due else None,
            )
        )
    # Unanswered first, emergencies among them always on top (an emergency never sinks below a
    # long-overdue normal case), then by due time; sorted() is stable, so ties keep the SQL order.
    return sorted(items, key=lambda i: (i.due_at is None, not sla.is_emergency(i.priority), i.due_at or now))


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


def _authored(
    s: Session, model: type[CaseNote] | type[Referral], esc_id: int
) -> list[tuple[Any, str | None]]:
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
    """Take an open case. Two caseworkers clicking at once: exactly one wins."""
    if not move(s, esc, who, expect_status="open"):
        raise CaseError(Bi("Kasus ini sudah diambil petugas lain", "Already claimed by someone else"))
    audit(s, who, "claim", esc.reference)


def move(
    s: Session,
    esc: Escalation,
    to: int | None,
    *,
    expect_status: str,
    expect_assignee: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Give the case to caseworker `to` (claimed) or back to the queue (None, open), only while it is
    still in `expect_status` (and held by `expect_assignee` when given); False when someone was faster.

    PostgreSQL: the row is locked with SKIP LOCKED, so the loser sees no row instead of waiting;
    everywhere: the UPDATE only matches while the case is still as expected."""
    cond = [Escalation.id == esc.id, Escalation.status == expect_status]
    if expect_assignee is not None:
        cond.append(Escalation.assignee_id == expect_assignee)
    locked = s.scalars(select(Escalation.id).where(*cond).with_for_update(skip_locked=True)).first()
    now = now or utcnow()
    values: dict[str, Any] = (
        {"status": "claimed", "assignee_id": to, "claimed_at": now}
        if to is not None
        else {"status": "open", "assignee_id": None, "claimed_at": None}
    )
    res = s.execute(
        update(Escalation).where(*cond).values(**values).execution_options(synchronize_session=False)
    )
    if locked is None or res.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE returns a CursorResult
        return False
    s.refresh(esc)
    if to is not None:
        cw = s.get(Caseworker, to)
        if cw is not None:
            cw.last_assigned_at = now  # round-robin: who was given a case longest ago goes next
    _set_mode(s, esc, "human" if to is not None else "bot")
    return True


def transfer(
    s: Session, esc: Escalation, who: int, to: int | None, reason: str = "", *, admin: bool = False
) -> None:
    """An admin assigns an open case; the holder (or an admin) transfers a claimed case to another
    caseworker or back to the queue (`to` None), with a reason. Audited `assign` / `transfer`."""
    reason = reason.strip()[:300]
    if esc.status == "resolved":
        raise CaseError(Bi("Kasus sudah selesai", "Already resolved"))
    if esc.status == "open" and not admin:
        raise NotYours(Bi("Ambil kasus ini dulu", "Claim this case first"))
    if esc.status == "claimed" and esc.assignee_id != who and not admin:
        raise NotYours(Bi("Kasus ini dipegang petugas lain", "Another caseworker holds this case"))
    target = s.get(Caseworker, to) if to is not None else None
    if to is not None and (target is None or not target.active):
        raise CaseError(Bi("Pilih petugas yang aktif", "Choose an active caseworker"))
    if esc.status == "open":
        if to is None:
            raise CaseError(Bi("Kasus sudah di antrean", "The case is already in the queue"))
        if not move(s, esc, to, expect_status="open"):
            raise CaseError(Bi("Kasus ini sudah diambil petugas lain", "Already claimed by someone else"))
        audit(s, who, "assign", esc.reference, to=target.username if target else None, reason=reason)
        return
    if not reason:
        raise CaseError(Bi("Tulis alasan pengalihan", "Give a reason for the transfer"))
    if to == esc.assignee_id:
        raise CaseError(Bi("Petugas itu sudah memegang kasus ini", "That caseworker already holds it"))
    before = s.get(Caseworker, esc.assignee_id) if esc.assignee_id else None
    if not move(s, esc, to, expect_status="claimed", expect_assignee=esc.assignee_id):
        raise CaseError(Bi("Kasus ini baru saja berubah, muat ulang", "The case just changed, reload"))
    audit(
        s,
        who,
        "transfer",
        esc.reference,
        **{"from": before.username if before else None, "to": target.username if target else "queue"},
        reason=reason,
    )


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
        raise CaseError(Bi("Balasan kosong", "The reply is empty"))
    if len(text) > MAX_REPLY_CHARS:
        raise CaseError(
            Bi(
                f"Balasan terlalu panjang (maks. {MAX_REPLY_CHARS})",
                f"Reply too long (max. {MAX_REPLY_CHARS})",
            )
        )
    contact = s.get(Contact, esc.contact_id) if esc.contact_id else None
    if contact is None:
        raise CaseError(Bi("Data orang ini sudah dihapus atas permintaannya", "The person's data was erased"))
    from bot.console.sending import send_from_caseworker

    row = send_from_caseworker(s, contact, text)
    if esc.first_response_at is None:
        esc.first_response_at = utcnow()
    audit(s, who, "reply", esc.reference, outbox_id=row.id, chars=len(text))
    return row


def end_handoff(s: Session, esc: Escalation, who: int, *, admin: bool = False) -> None:
    """The bot takes the chat back and tells the person so (the case itself may stay open)."""
    if not admin and not (esc.status in ("claimed", "resolved") and esc.assignee_id == who):
        raise NotYours(Bi("Ambil kasus ini dulu", "Claim this case first"))
    if _set_mode(s, esc, "bot", announce=True):
        audit(s, who, "end_handoff", esc.reference)


def resolve(
    s: Session, esc: Escalation, who: int, outcome: str, note: str = "", *, admin: bool = False
) -> None:
    if esc.status == "resolved":
        raise CaseError(Bi("Kasus sudah selesai", "Already resolved"))
    if not admin:  # an admin may close an unclaimed case (a duplicate, spam) without claiming it
        _require_holder(esc, who, admin)
    if outcome not in OUTCOMES:
        raise CaseError(Bi("Pilih hasil", "Choose an outcome"))
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
        raise CaseError(Bi("Catatan kosong", "The note is empty"))
    note = CaseNote(escalation_id=esc.id, caseworker_id=who, text=text[:10_000])
    s.add(note)
    s.flush()
    audit(s, who, "note", esc.reference, note_id=note.id)
    return note


def add_referral(
    s: Session,
    esc: Escalation,
    who: int,
    kind: str,
    target_id: str,
    note: str = "",
    *,
    admin: bool = False,
    exception: str = "",
) -> Referral:
    """Record a referral; to Kemensos (or a sentra), the police, KP2MI/BP3MI or the embassy only with
    the person's consent to that recipient, or with `exception` "minor" / "immediate_danger"."""
    from bot.console import consent
    from bot.console.canned import referral_targets

    _require_annotator(esc, who, admin)
    if target_id not in referral_targets().get(kind, {}):
        raise CaseError(Bi("Pilih sentra atau layanan dari daftar", "Choose from the list"))
    try:
        basis = consent.basis_for(esc, kind, target_id, exception)
    except consent.NoConsent as exc:  # refused: the caller audits action_refused
        raise CaseError(message(exc)) from None
    ref = Referral(
        escalation_id=esc.id,
        caseworker_id=who,
        kind=kind,
        target_id=target_id,
        note=note.strip()[:2000],
        consent_basis=basis,
    )
    s.add(ref)
    s.flush()
    audit(s, who, "referral", esc.reference, kind=kind, referred_to=target_id, basis=basis)
    return ref


def _require_holder(esc: Escalation, who: int, admin: bool) -> None:
    if esc.status == "resolved":
        raise CaseError(Bi("Kasus sudah selesai", "Already resolved"))
    if esc.status != "claimed":
        raise NotYours(Bi("Ambil kasus ini dulu", "Claim this case first"))
    if esc.assignee_id != who and not admin:
        raise NotYours(Bi("Kasus ini dipegang petugas lain", "Another caseworker holds this case"))


def _require_annotator(esc: Escalation, who: int, admin: bool) -> None:
    if may_annotate(esc, who, admin):
        return
    if esc.status == "open":
        raise NotYours(Bi("Ambil kasus ini dulu", "Claim this case first"))
    raise NotYours(Bi("Hanya petugas kasus ini atau admin", "Only this case's caseworker or an admin"))


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
