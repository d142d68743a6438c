"""`sahabat offer|sentra|content ...` commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

offer_app = typer.Typer(help="Check a job offer for red flags.", no_args_is_help=True)
sentra_app = typer.Typer(help="Find the nearest Kemensos sentra / RPTC.", no_args_is_help=True)
content_app = typer.Typer(help="Validate content/.", no_args_is_help=True)

RISK_WORD = {"id": {"high": "TINGGI", "medium": "SEDANG", "low": "RENDAH"}, "en": {"high": "HIGH", "medium": "MEDIUM",
             "low": "LOW"}}  # fmt: skip


def _content_dir() -> Path:
    """The commands read the content SAHABAT_CONTENT_DIR names, like the bot's replies."""
    from bot.config import get_settings

    return get_settings().content_dir


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


# ---- offer ---------------------------------------------------------------------------------------------


@offer_app.command("check")
def offer_check(
    text: str = typer.Argument("-", help="the offer text, or - to read it from standard input"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    lang: str = typer.Option("id", help="id | en"),
) -> None:
    """Find the red flags in a job offer and rate the risk (high / medium / low)."""
    from bot.knowledge.offers import analyze_offer

    body = sys.stdin.read() if text == "-" else text
    verdict = analyze_offer(body, lang=lang, content_dir=_content_dir())
    if as_json:
        _echo_json(verdict.model_dump())
        return
    lang = "en" if lang == "en" else "id"
    typer.echo(("Risk" if lang == "en" else "Risiko") + f": {RISK_WORD[lang][verdict.risk]}")
    for f in verdict.flags:
        quoted = ", ".join(f'"{e}"' for e in f.evidence)
        typer.echo(f"\n- {f.title} ({f.id}): {quoted}\n  {f.explanation}\n  " + ("Source" if lang == "en" else
                   "Sumber") + f": {f.source[0]}")  # fmt: skip
    typer.echo("")
    for a in verdict.advice:
        typer.echo(f"* {a}")


# ---- sentra --------------------------------------------------------------------------------------------


@sentra_app.command("near")
def sentra_near(
    place: str | None = typer.Argument(None, help="a place name, e.g. Praya, 'Lombok Tengah', jaktim"),
    lat: float | None = typer.Option(None, "--lat", help="latitude (with --lon)"),
    lon: float | None = typer.Option(None, "--lon", help="longitude (with --lat)"),
    n: int = typer.Option(3, "-n", "--n", min=1, max=32, help="how many"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    lang: str = typer.Option("id", help="id | en"),
) -> None:
    """The nearest sentra/RPTC to a place or GPS point, then the official referral routes."""
    from bot.knowledge.sentra import locate_place, nearest_sentra, referral_text

    lang = "en" if lang == "en" else "id"
    d = _content_dir()
    where = None
    if lat is not None and lon is not None:
        hits = nearest_sentra(lat, lon, n, content_dir=d)
        where = f"{lat:.4f}, {lon:.4f}"
    elif place:
        p = locate_place(place)
        if p is None:
            msg = (f"Place not found: {place!r}. Try a regency or city name (e.g. 'Lombok Tengah', 'Kupang')."
                   if lang == "en" else
                   f"Tempat tidak ditemukan: {place!r}. Coba nama kabupaten/kota (mis. 'Lombok Tengah', 'Kupang').")  # fmt: skip
            if as_json:
                _echo_json([])
                typer.echo(msg, err=True)
                typer.echo(referral_text(lang, content_dir=d), err=True)
            else:
                typer.echo(msg)
                typer.echo(referral_text(lang, content_dir=d))
            raise typer.Exit(1)
        hits = nearest_sentra(p.lat, p.lon, n, content_dir=d)
        where = f"{p.name}, {p.province} (±{p.precision_km:g} km)"
    else:
        typer.echo("Give a PLACE or both --lat and --lon.", err=True)
        raise typer.Exit(2)
    if as_json:
        _echo_json([
            {"name": h.name, "kind": h.kind, "city": h.city, "province": h.province, "distance_km": h.distance_km,
             "precision_km": h.precision_km,
                    "coordinates": h.coordinates, "address": h.address, "handles": h.handles, "notes": h.notes(lang),
             "source": h.source}
            for h in hits
        ])  # fmt: skip
        return
    typer.echo(("Near" if lang == "en" else "Dekat") + f": {where}")
    for i, h in enumerate(hits, 1):
        typer.echo(f"{i}. {h.name} ({h.city}, {h.province}) ~{h.distance_km:.0f} km")
        if h.notes(lang):
            typer.echo(f"   {h.notes(lang)}")
    typer.echo("")
    typer.echo(referral_text(lang, content_dir=d))


# ---- content -------------------------------------------------------------------------------------------


@content_app.command("check")
def content_check(
    directory: Path | None = typer.Option(
        None, "--dir", help="content directory (default: SAHABAT_CONTENT_DIR, else the repository's)"
    ),
) -> None:
    """Validate content/: schema, sources, dates, id/en, known ids, verified numbers only. Exit 1 on problems."""
    from bot.config import get_settings
    from bot.knowledge.check import check_content

    d = directory or get_settings().content_dir
    problems = check_content(d)
    if problems:
        for p in problems:
            typer.echo(p, err=True)
        typer.echo(f"{len(problems)} problem(s) in {d}", err=True)
        raise typer.Exit(1)
    typer.echo(f"content OK: {d}")
