"""Console channel: chat with the bot in a terminal (`sahabat chat`). Buttons become numbers."""

from __future__ import annotations

import getpass
from collections.abc import Callable

from rich.console import Console

from bot.channels.spec import Capabilities, ChannelSpec
from bot.engine import Engine
from bot.messages import Button, Inbound, Reply

CHANNEL = "console"


def show(console: Console, replies: list[Reply]) -> list[Button]:
    buttons: list[Button] = []
    for r in replies:
        if r.text:
            console.print(f"[bold green]Sahabat:[/] {r.text}")
        for b in r.buttons:
            buttons.append(b)
            console.print(f"   [cyan]{len(buttons)}.[/] {b.title}")
        if r.request_location:
            console.print("   [dim](ketik nama kota Anda / type your town)[/]")
    return buttons


def run(
    engine: Engine, first_message: str, read: Callable[[str], str] = input, console: Console | None = None
) -> None:
    console = console or Console()
    sender = f"console-{getpass.getuser()}"
    console.print(
        "[dim]Ketik pesan; angka memilih tombol; Ctrl-D untuk keluar. / Type; a number taps a button.[/]"
    )
    buttons = show(console, engine.handle(Inbound(CHANNEL, sender, text=first_message)))
    while True:
        try:
            text = read("Anda> ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        payload = None
        if text.strip().isdigit() and 1 <= int(text.strip()) <= len(buttons):
            payload = buttons[int(text.strip()) - 1].payload
        buttons = show(console, engine.handle(Inbound(CHANNEL, sender, text=text, payload=payload)))


# A terminal session (`sahabat chat`): replies are printed as they come, nothing is pushed later.
SPEC = ChannelSpec(name=CHANNEL, title="Terminal", capabilities=Capabilities(push=False))
