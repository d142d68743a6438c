"""Case statistics for the console: counts by category, province, week and red flag, how fast
caseworkers answer, and what the offers people checked looked like (risk and red flags). Charts are inline SVG drawn here (no JavaScript); the CSV holds counts only."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import sla
from bot.console.i18n import Bi, Lang
from bot.store.models import Escalation, OfferCheck, utcnow

PERIODS = (4, 12, 26, 52)  # weeks


@dataclass
class Stats:
    weeks: int
    since: datetime
    total: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)
    by_province: list[tuple[str, int]] = field(default_factory=list)
    by_week: list[tuple[str, int]] = field(default_factory=list)
    red_flags: list[tuple[str, int]] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    median_first_response: dict[str, float | None] = field(default_factory=dict)  # minutes
    answered: dict[str, int] = field(default_factory=dict)
    offer_checks: int = 0
    offer_risk: list[tuple[str, int]] = field(default_factory=list)
    offer_flags: list[tuple[str, int]] = field(default_factory=list)


def week_label(d: datetime) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def compute(s: Session, weeks: int = 12, now: datetime | None = None) -> Stats:
    now = now or utcnow()
    weeks = weeks if weeks in PERIODS else 12
    since = (now - timedelta(weeks=weeks)).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = s.execute(
        select(
            Escalation.category,
            Escalation.priority,
            Escalation.status,
            Escalation.outcome,
            Escalation.details,
            Escalation.created_at,
            Escalation.first_response_at,
        ).where(Escalation.created_at >= since)
    ).all()
    st = Stats(weeks=weeks, since=since, total=len(rows))
    status: Counter[str] = Counter()
    cat: Counter[str] = Counter()
    prov: Counter[str] = Counter()
    week: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    waits: dict[str, list[float]] = {"all": [], "emergency": [], "other": []}
    for category, priority, stat, outcome, details, created, first in rows:
        details = details or {}
        status[stat] += 1
        cat[category] += 1
        prov[str(details.get("province") or "—")] += 1
        week[week_label(created)] += 1
        for f in details.get("red_flags") or []:
            flags[str(f.get("id") if isinstance(f, dict) else f)] += 1
        if outcome:
            outcomes[outcome] += 1
        if first is not None:
            minutes = (first - created).total_seconds() / 60
            waits["all"].append(minutes)
            waits["emergency" if sla.is_emergency(priority) else "other"].append(minutes)
    # Every week of the period, empty ones too, so the chart's time axis is honest.
    labels: list[str] = []
    d = since
    while d <= now:
        if week_label(d) not in labels:
            labels.append(week_label(d))
        d += timedelta(days=1)
    st.by_week = [(w, week.get(w, 0)) for w in labels]
    st.by_status = sorted(status.items())
    st.by_category = status_sorted(cat)
    st.by_province = status_sorted(prov)
    st.red_flags = status_sorted(flags)
    st.outcomes = status_sorted(outcomes)
    st.median_first_response = {k: (statistics.median(v) if v else None) for k, v in waits.items()}
    st.answered = {k: len(v) for k, v in waits.items()}
    _offer_checks(s, st)
    return st


def _offer_checks(s: Session, st: Stats) -> None:
    """Offers checked by the bot in the period, whether or not anyone opened a case about them."""
    risk: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    for r, fl in s.execute(
        select(OfferCheck.risk, OfferCheck.flags).where(OfferCheck.created_at >= st.since)
    ):
        st.offer_checks += 1
        risk[r] += 1
        flags.update(str(f) for f in fl or [])
    order = {"high": 0, "medium": 1, "low": 2}
    st.offer_risk = sorted(risk.items(), key=lambda kv: (order.get(kv[0], 3), kv[0]))
    st.offer_flags = status_sorted(flags)


def status_sorted(c: Counter[str]) -> list[tuple[str, int]]:
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def fmt_minutes(m: float | None, lang: Lang = "id") -> str:
    en = lang == "en"
    if m is None:
        return "—"
    if m < 90:
        return f"{m:.0f} {'min' if en else 'menit'}"
    if m < 48 * 60:
        return f"{m / 60:.1f} {'h' if en else 'jam'}"
    return f"{m / 1440:.1f} {'days' if en else 'hari'}"


# ---- SVG -----------------------------------------------------------------------------------------


NO_DATA = Bi("Belum ada data", "No data yet")


def hbar_chart(items: list[tuple[str, int]], title: str, limit: int = 15, empty: str = NO_DATA) -> Markup:
    """Horizontal bars, one row per item, largest first; readable at 320 px wide."""
    items = items[:limit]
    if not items:
        return Markup('<p class="muted">{}</p>').format(empty)
    row, label_w, width = 22, 130, 320
    top = max(v for _, v in items) or 1
    height = row * len(items) + 4
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = i * row + 2
        w = max(1, round((width - label_w - 40) * value / top))
        short = label if len(label) <= 20 else label[:19] + "…"
        parts.append(
            f'<text x="{label_w - 4}" y="{y + 15}" text-anchor="end" class="lbl">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row - 8}" class="bar"/>'
            f'<text x="{label_w + w + 4}" y="{y + 15}" class="val">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(items: list[tuple[str, int]], title: str, empty: str = NO_DATA) -> Markup:
    """Vertical bars over time (one per week), labelled every few weeks."""
    if not items:
        return Markup('<p class="muted">{}</p>').format(empty)
    width, height, bottom = 320, 140, 22
    n = len(items)
    slot = (width - 10) / n
    top = max(v for _, v in items) or 1
    every = max(1, n // 6)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        h = round((height - bottom - 14) * value / top)
        x = 5 + i * slot
        y = height - bottom - h
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y}" width="{max(1.0, slot - 2):.1f}" height="{h}" class="bar"/>'
        )
        if value:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{y - 2}" text-anchor="middle" class="val">{value}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{height - 6}" text-anchor="middle" class="lbl">'
                f"{escape(label[-3:])}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))


# ---- CSV -----------------------------------------------------------------------------------------


def _cell(value: str) -> str:
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def to_csv(st: Stats) -> str:
    """Aggregates only: no reference, no text, no contact — safe to share with partners."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["section", "key", "value"])
    w.writerow(["period", "since", st.since.date().isoformat()])
    w.writerow(["period", "weeks", st.weeks])
    w.writerow(["total", "escalations", st.total])
    w.writerow(["total", "offer_checks", st.offer_checks])
    for section, items in (
        ("status", st.by_status),
        ("category", st.by_category),
        ("province", st.by_province),
        ("week", st.by_week),
        ("red_flag", st.red_flags),
        ("outcome", st.outcomes),
        ("offer_risk", st.offer_risk),
        ("offer_red_flag", st.offer_flags),
    ):
        for key, value in items:
            w.writerow([section, _cell(key), value])
    for key, minutes in st.median_first_response.items():
        w.writerow(["median_first_response_minutes", key, "" if minutes is None else round(minutes, 1)])
        w.writerow(["answered_cases", key, st.answered.get(key, 0)])
    return buf.getvalue()
