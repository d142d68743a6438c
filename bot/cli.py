"""`sahabat ...`: the command line of design section 5."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from bot.channels.cli import telegram_app, whatsapp_app
from bot.config import Settings
from bot.console.cli import caseworker_app
from bot.knowledge.cli import content_app, offer_app, sentra_app
from bot.voice.cli import voice_app
from nlu.cli import app as nlu_app

app = typer.Typer(help="Sahabat Migran chatbot.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database.", no_args_is_help=True)
app.add_typer(nlu_app, name="nlu")
app.add_typer(offer_app, name="offer")
app.add_typer(sentra_app, name="sentra")
app.add_typer(content_app, name="content")
app.add_typer(db_app, name="db")
app.add_typer(caseworker_app, name="caseworker")
app.add_typer(telegram_app, name="telegram")
app.add_typer(whatsapp_app, name="whatsapp")
app.add_typer(voice_app, name="voice")
agencies_app = typer.Typer(help="The list of licensed placement agencies (P3MI).", no_args_is_help=True)
app.add_typer(agencies_app, name="agencies")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="interface to bind"),
    port: int = typer.Option(8000, help="port"),
    workers: int = typer.Option(1, help="worker processes"),
) -> None:
    """Run the webhook server (REST, Telegram, WhatsApp) and the caseworker console."""
    from bot.config import get_settings
    from bot.logs import setup_logging
    from bot.store.db import Database

    setup_logging()
    settings = get_settings()
    settings.check_production()
    Database(settings.database_url).upgrade()  # once, before any worker starts
    _train_nlu_if_stale(settings)
    typer.echo(f"Sahabat Migran on http://{host}:{port}  (chat: POST /webhooks/rest/webhook, or `make chat`)")
    metrics_tmp = None
    if workers > 1:  # one /metrics for all workers; the spawned workers inherit the variable
        from bot.metrics import use_multiprocess_dir

        metrics_tmp = use_multiprocess_dir()
    try:
        _run(host, port, workers)
    finally:
        if metrics_tmp is not None:
            shutil.rmtree(metrics_tmp, ignore_errors=True)


def _run(host: str, port: int, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        "bot.server:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        # Proxy headers are handled by the app itself, trusting only SAHABAT_FORWARDED_ALLOW_IPS
        # (uvicorn's own default would believe any X-Forwarded-For sent from 127.0.0.1).
        proxy_headers=False,
    )


def _train_nlu_if_stale(settings: Settings) -> None:
    """Train in a child process, so the workers only ever load the saved model (training's memory
    would otherwise stay in every worker's RSS)."""
    import subprocess
    import sys

    from nlu.embedded import fingerprint, saved_model_matches

    if saved_model_matches(settings.nlu_model_dir, fingerprint([settings.nlu_data])):
        return
    subprocess.run(
        [sys.executable, "-m", "bot.cli", "nlu", "train", "--data", str(settings.nlu_data),
         "--out", str(settings.nlu_model_dir)],
        check=True,
    )


@app.command()
def chat(lang: str = typer.Option("id", help="a language of content/languages.yml (id, en): the first hello")) -> None:
    """Chat with the bot in this terminal (console channel)."""
    from bot.app_state import build_runtime
    from bot.channels.console import run
    from bot.config import get_settings
    from bot.language import catalog

    rt = build_runtime(get_settings())
    try:
        run(rt.engine, catalog(rt.settings.content_dir).language(lang).greeting)
    finally:
        rt.close()


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply Alembic migrations up to head."""
    from bot.config import get_settings
    from bot.store.db import Database

    Database(get_settings().database_url).upgrade()
    typer.echo("database is at head")


@agencies_app.command("import")
def agencies_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV with a name column (nama/name)"),
    list_date: str = typer.Option(..., "--date", help="the date of the list, YYYY-MM-DD (shown to users)"),
    source: str = typer.Option("", help="where the list comes from (URL or office)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="show what would change, change nothing"),
    allow_shrink: bool = typer.Option(False, "--allow-shrink", help="accept a list under half the current size"),
) -> None:
    """Replace the licensed-agency list with FILE (any delimiter; UTF-8, cp1252, ...); exit 1 changes nothing."""
    from datetime import date

    from bot.config import get_settings
    from bot.store.agencies import ImportError_, apply_import, plan_import
    from bot.store.db import Database

    try:
        when = date.fromisoformat(list_date)
    except ValueError:
        typer.echo(f"--date must look like 2026-11-01, not {list_date!r}", err=True)
        raise typer.Exit(2) from None
    db = Database(get_settings().database_url)
    db.upgrade()
    try:
        with db.session() as s:
            plan = plan_import(s, file, when, source, allow_shrink=allow_shrink)
            typer.echo(
                f"read {len(plan.rows)} agencies ({plan.encoding}, delimiter {plan.delimiter!r}"
                f"{f', {plan.merged} duplicate rows merged' if plan.merged else ''}): "
                f"{len(plan.added)} new, {len(plan.removed)} gone, {plan.kept} unchanged"
            )
            for label, names in (("+", plan.added), ("-", plan.removed)):
                for name in names[:20]:
                    typer.echo(f"  {label} {name}")
                if len(names) > 20:
                    typer.echo(f"  {label} ... and {len(names) - 20} more")
            if dry_run:
                typer.echo("dry run: nothing changed")
                return
            n = apply_import(s, plan)
    except ImportError_ as exc:
        typer.echo(f"not imported: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"imported {n} agencies (list of {when.isoformat()})")


if __name__ == "__main__":
    app()
