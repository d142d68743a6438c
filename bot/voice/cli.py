"""`sahabat voice transcribe FILE [--lang id|en] [--json]`: what the bot would hear in a note."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from bot.voice.base import VoiceError
from bot.voice.pool import transcribe_bytes

voice_app = typer.Typer(help="Voice notes (offline speech recognition).", no_args_is_help=True)


@voice_app.command("transcribe")
def transcribe_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="an audio file (ogg/opus, amr, mp3, m4a, wav)"),
    lang: str = typer.Option("id", "--lang", help="id or en"),
    as_json: bool = typer.Option(False, "--json", help='print {"text", "language", "duration_s", "seconds"}'),
) -> None:
    if lang not in ("id", "en"):
        raise typer.BadParameter("id or en", param_hint="--lang")
    try:
        t = transcribe_bytes(file.read_bytes(), lang)
    except VoiceError as exc:
        typer.echo(f"not heard: {exc.reason}", err=True)
        raise typer.Exit(1) from None
    if as_json:
        out = {"text": t.text, "language": t.language, "duration_s": t.duration_s, "seconds": t.seconds}
        typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        typer.echo(t.text)
