"""`sahabat caseworker ...`: console accounts from the command line (the first admin starts here)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from bot.store.db import Database

caseworker_app = typer.Typer(help="Caseworker console accounts.", no_args_is_help=True)


def _db() -> Database:
    from bot.config import get_settings
    from bot.store.db import Database

    db = Database(get_settings().database_url)
    db.upgrade()
    return db


@caseworker_app.command("add")
def add(
    username: str = typer.Argument(..., help="login name: lower-case letters, digits, . _ -"),
    role: str = typer.Option("caseworker", help="caseworker | admin"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="read the password from stdin (scripts)"
    ),
) -> None:
    """Create an account. The password is asked twice (hidden), or read from stdin."""
    from bot.console.i18n import message, pick
    from bot.console.passwords import AccountError, add_caseworker

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = _db()
    try:
        with db.session() as s:
            cw = add_caseworker(s, username, password, role)
            name, role_ = cw.username, cw.role
    except AccountError as exc:
        typer.echo(f"not created: {pick(message(exc), 'en')}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()
    typer.echo(f"created {role_} account {name!r}")


@caseworker_app.command("list")
def list_accounts() -> None:
    """Accounts with their role and whether they are active."""
    from sqlalchemy import select

    from bot.store.models import Caseworker

    db = _db()
    try:
        with db.session() as s:
            for cw in s.scalars(select(Caseworker).order_by(Caseworker.username)):
                typer.echo(f"{cw.username}\t{cw.role}\t{'active' if cw.active else 'inactive'}")
    finally:
        db.dispose()
