"""`sahabat ...`: the command line of design section 5."""

from __future__ import annotations

import typer

from bot.knowledge.cli import content_app, offer_app, sentra_app
from nlu.cli import app as nlu_app

app = typer.Typer(help="Sahabat Migran chatbot.", no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database.", no_args_is_help=True)
app.add_typer(nlu_app, name="nlu")
app.add_typer(offer_app, name="offer")
app.add_typer(sentra_app, name="sentra")
app.add_typer(content_app, name="content")
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply Alembic migrations up to head."""
    from bot.config import get_settings
    from bot.store.db import Database

    Database(get_settings().database_url).upgrade()
    typer.echo("database is at head")


if __name__ == "__main__":
    app()
