"""`sahabat telegram ...`: connect the Telegram bot by webhook, or long-poll for local development."""

from __future__ import annotations

import asyncio
import signal

import typer

telegram_app = typer.Typer(help="Telegram bot: webhook and long polling.", no_args_is_help=True)


@telegram_app.command("set-webhook")
def set_webhook() -> None:
    """Point Telegram at SAHABAT_PUBLIC_BASE_URL/webhooks/telegram, with SAHABAT_TELEGRAM_SECRET."""
    from telegram.error import TelegramError

    from bot.channels.telegram import set_webhook as do_set
    from bot.config import get_settings

    settings = get_settings()
    if not settings.telegram_token:
        typer.echo("SAHABAT_TELEGRAM_TOKEN is not set", err=True)
        raise typer.Exit(2)
    try:
        url = asyncio.run(do_set(settings))
    except (ValueError, TelegramError) as exc:
        typer.echo(f"webhook not set: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Telegram will post updates to {url}")


@telegram_app.command("delete-webhook")
def delete_webhook() -> None:
    """Remove the webhook (Telegram then keeps updates for `sahabat telegram poll`)."""
    from bot.channels.telegram import delete_webhook as do_delete
    from bot.config import get_settings

    asyncio.run(do_delete(get_settings()))
    typer.echo("webhook removed")


@telegram_app.command("poll")
def poll(timeout: int = typer.Option(25, help="long-poll timeout in seconds")) -> None:
    """Run the bot without a public URL: long polling plus the reply sender, until Ctrl+C."""
    from bot.app_state import build_runtime
    from bot.channels.telegram import poll as do_poll
    from bot.config import get_settings
    from bot.logs import setup_logging
    from bot.outbox import start_sender

    setup_logging()
    settings = get_settings()
    if not settings.telegram_token:
        typer.echo("SAHABAT_TELEGRAM_TOKEN is not set", err=True)
        raise typer.Exit(2)

    async def main() -> None:
        rt = build_runtime(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        sender = await start_sender(rt)
        try:
            typer.echo("polling Telegram; Ctrl+C to stop")
            await do_poll(rt, stop, timeout=timeout, outbox=sender)
        finally:
            await sender.stop()
            rt.close()

    asyncio.run(main())


whatsapp_app = typer.Typer(help="WhatsApp through Twilio: native menus.", no_args_is_help=True)


@whatsapp_app.command("sync-templates")
def sync_templates() -> None:
    """Create the Content API quick replies and list pickers the menus use (once; cached by hash in
    SAHABAT_TWILIO_CONTENT_CACHE). Until this has run, menus go out as numbered text."""
    from twilio.base.exceptions import TwilioException

    from bot.channels.whatsapp import WhatsAppAdapter
    from bot.channels.whatsapp_content import sync
    from bot.config import get_settings

    settings = get_settings()
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        typer.echo("SAHABAT_TWILIO_ACCOUNT_SID and SAHABAT_TWILIO_AUTH_TOKEN must be set", err=True)
        raise typer.Exit(2)

    async def run() -> tuple[int, int]:
        adapter = WhatsAppAdapter(settings)
        try:
            return await sync(adapter.client(), adapter.content)
        finally:
            await adapter.close()

    try:
        created, kept = asyncio.run(run())
    except TwilioException as exc:
        typer.echo(f"templates not synced: {type(exc).__name__} {getattr(exc, 'code', '')}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{created} templates created, {kept} already there ({settings.twilio_content_cache})")
