"""`sahabat offer|sentra|content ...` commands."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import typer

offer_app = typer.Typer(help="Check a job offer for red flags.", no_args_is_help=True)
sentra_app = typer.Typer(help="Find the nearest Kemensos sentra / RPTC.", no_args_is_help=True)
content_app = typer.Typer(help="Validate content/.", no_args_is_help=True)
T = TypeVar("T")
P = ParamSpec("P")

RISK_WORD = {"id": {"high": "TINGGI", "medium": "SEDANG", "low": "RENDAH"}, "en": {"high": "HIGH", "medium": "MEDIUM",
             "low": "LOW"}}  # fmt: skip
_RISK = {"id": "Risiko", "en": "Risk"}
_SOURCE = {"id": "Sumber", "en": "Source"}
_NEAR = {"id": "Dekat", "en": "Near"}
_NOT_FOUND = {
    "id": "Tempat tidak ditemukan: {place!r}. Coba nama kabupaten/kota (mis. 'Lombok Tengah', 'Kupang').",
    "en": "Place not found: {place!r}. Try a regency or city name (e.g. 'Lombok Tengah', 'Kupang').",
}


def _content_dir() -> Path:
    """The commands read the content SAHABAT_CONTENT_DIR names, like the bot's replies."""
    from bot.config import get_settings

    return get_settings().content_dir


def _in_content_dir(command: Callable[P, None]) -> Callable[P, None]:
    """Run a command inside SAHABAT_CONTENT_DIR, so its texts speak that directory's languages."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        from bot.knowledge.directory import use_content_dir

        with use_content_dir(_content_dir()):
            command(*args, **kwargs)

    return run


def _t(texts: dict[str, T], lang: str) -> T:
    """`texts` in `lang` or its fallback, by the languages of the content the commands read."""
    from bot.language import catalog

    return catalog(_content_dir()).pick(texts, lang)


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


# ---- offer ---------------------------------------------------------------------------------------------


@offer_app.command("check")
@_in_content_dir
def offer_check(
    text: str = typer.Argument("-", help="the offer text, or - to read it from standard input"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    lang: str = typer.Option("id", help="a language of content/languages.yml (id, en)"),
) -> None:
    """Find the red flags in a job offer and rate the risk (high / medium / low)."""
    from bot.knowledge.offers import analyze_offer

    body = sys.stdin.read() if text == "-" else text
    verdict = analyze_offer(body, lang=lang, content_dir=_content_dir())
    if as_json:
        _echo_json(verdict.model_dump())
        return
    typer.echo(_t(_RISK, lang) + f": {_t(RISK_WORD, lang)[verdict.risk]}")
    for f in verdict.flags:
        quoted = ", ".join(f'"{e}"' for e in f.evidence)
        typer.echo(f"\n- {f.title} ({f.id}): {quoted}\n  {f.explanation}\n  " + _t(_SOURCE, lang)
                   + f": {f.source[0]}")  # fmt: skip
    typer.echo("")
    for a in verdict.advice:
        typer.echo(f"* {a}")


# ---- sentra --------------------------------------------------------------------------------------------


@sentra_app.command("near")
@_in_content_dir
def sentra_near(
    place: str | None = typer.Argument(None, help="a place name, e.g. Praya, 'Lombok Tengah', jaktim"),
    lat: float | None = typer.Option(None, "--lat", help="latitude (with --lon)"),
    lon: float | None = typer.Option(None, "--lon", help="longitude (with --lat)"),
    n: int = typer.Option(3, "-n", "--n", min=1, max=32, help="how many"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    lang: str = typer.Option("id", help="a language of content/languages.yml (id, en)"),
) -> None:
    """The nearest sentra/RPTC to a place or GPS point, then the official referral routes."""
    from bot.knowledge.sentra import locate_place, nearest_sentra, referral_text

    d = _content_dir()
    where = None
    if lat is not None and lon is not None:
        hits = nearest_sentra(lat, lon, n, content_dir=d)
        where = f"{lat:.4f}, {lon:.4f}"
    elif place:
        p = locate_place(place)
        if p is None:
            msg = _t(_NOT_FOUND, lang).format(place=place)
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
    typer.echo(_t(_NEAR, lang) + f": {where}")
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
    """Validate content/: schema, sources, dates, translations, known ids, verified numbers only. Exit 1 on
    problems. Texts missing in a language still in progress are listed as warnings, per language."""
    from bot.config import get_settings
    from bot.knowledge.check import check_content, missing_translations
    from bot.language import catalog

    d = directory or get_settings().content_dir
    flows = get_settings().flows_dir
    problems = check_content(d, flows)
    if not problems:
        cat = catalog(d)
        for code, missing in missing_translations(d, flows).items():
            if missing and not cat.required(code):
                then = ", ".join(cat.chain(code)[1:])
                typer.echo(f"warning: {len(missing)} text(s) not in {code} ({cat.languages[code].name}), "
                           f"shown in {then} instead:", err=True)  # fmt: skip
                for where in missing:
                    typer.echo(f"  {code}: {where}", err=True)
    if problems:
        for p in problems:
            typer.echo(p, err=True)
        typer.echo(f"{len(problems)} problem(s) in {d}", err=True)
        raise typer.Exit(1)
    typer.echo(f"content OK: {d}")
