"""Actions that open cases (escalations), record consent and erase data."""

from __future__ import annotations

from typing import Any

from bot.language import pick
from flows.actions import action
from flows.contract import ALL_MEMORY
from flows.memory import Memory
from flows.runtime import ActionContext
from flows.schema import Text
from flows.texts import hotline_lines, place_summary, resolve_place

EMERGENCY, URGENT, NORMAL = 0, 1, 2
# Who a case may be passed on to, each agreed to (or not) at intake (flows/intake.yml, step share);
# the console refuses a referral to one without consent (bot/console/consent.py).
RECIPIENTS = ("kemensos", "police_ppa", "kp2mi", "embassy")


def consent_items(share_with: object) -> dict[str, bool]:
    """The intake's answer, item by item: {"kemensos": True, "police_ppa": False, ...}."""
    chosen = set(share_with) if isinstance(share_with, list | tuple) else set()
    return {r: r in chosen for r in RECIPIENTS}

_NEXT = Text(
    id="✅ Nomor kasus Anda: *{reference}*. Seorang pekerja sosial akan membalas di chat ini, biasanya dalam {target}. "
    "Simpan nomor ini; sebutkan kalau menghubungi layanan lain.",
    en="✅ Your case number: *{reference}*. A social worker will reply in this chat, usually within {target}. "
    "Keep this number and mention it if you contact other services.",
)
_TARGET_UNITS = {"minutes": {"id": "menit", "en": "minutes"}, "hours": {"id": "jam", "en": "hours"}}


def _target(ctx: ActionContext, priority: int) -> str:
    amount, unit = ctx.services.response_target(priority)
    return f"{amount} {pick(_TARGET_UNITS[unit], ctx.lang)}"


_NEXT_EMERGENCY = Text(
    id="🚨 Nomor kasus darurat Anda: *{reference}*. Petugas kami sudah diberi tahu dan akan menulis di chat ini "
    "secepatnya. Jangan menunggu kami kalau Anda dalam bahaya: hubungi nomor di atas.",
    en="🚨 Your emergency case number: *{reference}*. Our caseworkers have been alerted and will write in this chat "
    "as soon as they can. Don't wait for us if you are in danger: call the numbers above.",
)


def announce_reference(ctx: ActionContext, ref: str, priority: int) -> None:
    ctx.slots["reference"] = ref
    ctx.slots["target"] = _target(ctx, priority)
    ctx.say(_NEXT_EMERGENCY if priority == EMERGENCY else _NEXT, sensitive=True)


@action("intake_start", writes=("consent", "carry_needs"), reads=("carry_needs",))
def intake_start(ctx: ActionContext) -> None:
    ctx.memory.consent = ctx.services.has_consent()
    carried, ctx.memory.carry_needs = ctx.memory.carry_needs, []
    if carried:
        ctx.slots["needs"] = carried
        ctx.slots["needs_known"] = True


@action("carry_needs_to_intake", writes=("carry_needs",))
def carry_needs_to_intake(ctx: ActionContext) -> None:
    ctx.memory.carry_needs = list(ctx.slots.get("needs") or [])


@action("record_consent", writes=("consent",))
def record_consent(ctx: ActionContext) -> None:
    ctx.services.set_consent(True)
    ctx.memory.consent = True


@action("resolve_where")
def resolve_where(ctx: ActionContext) -> None:
    ctx.slots["where_resolved"] = resolve_place(ctx.slots.get("where"))


@action("show_hotlines", reads=("country",))
def show_hotlines(ctx: ActionContext) -> None:
    ctx.say("\n".join(hotline_lines(ctx.lang, country=ctx.memory.country)))


def _case_details(ctx: ActionContext, keys: tuple[str, ...]) -> dict[str, Any]:
    details: dict[str, Any] = {k: ctx.slots[k] for k in keys if k in ctx.slots}
    place = ctx.slots.get("where_resolved") or resolve_place(ctx.slots.get("where"))
    if place:
        details.update({k: v for k, v in place.items() if k in ("province", "country", "place", "regency")})
    details["language"] = ctx.lang
    return details


@action("escalate_intake")
def escalate_intake(ctx: ActionContext) -> None:
    if ctx.slots.get("phone"):
        ctx.services.save_profile(phone=ctx.slots.pop("phone"))
    urgent = ctx.slots.get("urgency") == "today"
    priority = URGENT if urgent else NORMAL
    details = _case_details(ctx, ("situation", "needs", "urgency", "contact_via"))
    if "share_with" in ctx.slots:
        details["consent_to"] = consent_items(ctx.slots["share_with"])
    summary = f"{details.get('situation', '?')} · needs: {', '.join(details.get('needs') or []) or '-'}"
    summary += f" · {place_summary(details)}"
    ref = ctx.services.escalate("returnee_help", priority, summary, details)
    announce_reference(ctx, ref, priority)
    ctx.say("\n".join(hotline_lines(ctx.lang, country=details.get("country"), brief=True)))


@action("escalate_report", writes=("report", "asked_report"))
def escalate_report(ctx: ActionContext) -> None:
    anonymous = ctx.slots.get("anonymous") is not False
    details = _case_details(ctx, ("what", "who"))
    details["anonymous"] = anonymous
    if not anonymous:
        ctx.services.set_consent(True)
    summary = f"report · {place_summary(details)}"
    ctx.slots["reference"] = ctx.services.escalate("report", NORMAL, summary, details)
    from flows.actions_report import remember_report  # follow-ups join this report

    remember_report(ctx, ctx.slots["reference"])
    ctx.say(
        Text(
            id="📣 Laporan Anda tercatat dengan nomor *{reference}*. Petugas akan menindaklanjuti dan bisa merujuk ke polisi "
            "atau KP2MI. Anda juga bisa melapor langsung ke Polisi (110) atau KP2MI (0800-1000).",
            en="📣 Your report is recorded as *{reference}*. A caseworker will follow it up and may refer it to the police "
            "or KP2MI. You can also report directly to the police (110) or KP2MI (0800-1000).",
        ),
        sensitive=True,
    )


@action("escalate_human")
def escalate_human(ctx: ActionContext) -> None:
    ref = ctx.services.escalate("human_request", NORMAL, "asked to talk to a person", _case_details(ctx, ()))
    announce_reference(ctx, ref, NORMAL)
    ctx.say(
        Text(
            id="Sambil menunggu, Anda tetap bisa memakai menu. Kalau dalam bahaya, ketik *darurat*.",
            en="While you wait you can still use the menu. If you are in danger, type *emergency*.",
        )
    )


@action("erase_my_data", writes=ALL_MEMORY)
def erase_my_data(ctx: ActionContext) -> None:
    ctx.services.delete_personal_data()
    ctx.state.slots, ctx.state.memory = {}, Memory()
    ctx.say(
        Text(
            id="🗑️ Selesai. Pesan dan data pribadi Anda sudah dihapus dari sistem kami. Riwayat chat di HP Anda "
            "perlu Anda hapus sendiri. Ketik *halo* kalau ingin mulai lagi.",
            en="🗑️ Done. Your messages and personal details have been deleted from our system. The chat history on "
            "your phone has to be deleted by you. Type *hello* to start again.",
        )
    )


@action("erase_my_data_quietly", writes=ALL_MEMORY)
def erase_my_data_quietly(ctx: ActionContext) -> None:
    ctx.services.delete_personal_data()
    ctx.state.slots, ctx.state.memory = {}, Memory()
    ctx.say(Text(id="Percakapan dihentikan.", en="Conversation stopped."), clear_chat=True)


@action("record_followup", reads=("case_ref",))
def record_followup(ctx: ActionContext) -> None:
    ref = ctx.memory.case_ref
    helped = ctx.slots.get("helped")
    ctx.services.record_followup(str(ref or ""), helped is True)
