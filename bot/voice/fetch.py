"""Downloading a note from its channel into memory, never past MAX_BYTES. URLs carry a bot token
(Telegram) or sit behind the account's credentials (Twilio): neither is ever logged."""

from __future__ import annotations

import httpx

from bot.voice.base import TOO_BIG, UNREADABLE, VoiceError
from bot.voice.limits import MAX_BYTES

TIMEOUT = httpx.Timeout(20.0, connect=5.0)
TWILIO_API = "https://api.twilio.com"


async def _download(client: httpx.AsyncClient, url: str, **kw: object) -> bytes:
    try:
        async with client.stream("GET", url, **kw) as resp:  # type: ignore[arg-type]
            if resp.status_code != 200:
                raise VoiceError(UNREADABLE)
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BYTES:
                raise VoiceError(TOO_BIG)
            body = bytearray()
            async for chunk in resp.aiter_bytes():
                body += chunk
                if len(body) > MAX_BYTES:
                    raise VoiceError(TOO_BIG)
            return bytes(body)
    except httpx.HTTPError:
        raise VoiceError(UNREADABLE) from None


async def telegram_file(api_url: str, token: str, file_id: str) -> bytes:
    """getFile, then the file itself from the Bot API's file URL."""
    base = api_url.rstrip("/")
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        try:
            resp = await client.post(f"{base}/bot{token}/getFile", data={"file_id": file_id})
            result = resp.json().get("result") or {}
        except (httpx.HTTPError, ValueError, AttributeError):
            raise VoiceError(UNREADABLE) from None
        if not isinstance(result, dict) or not isinstance(result.get("file_path"), str):
            raise VoiceError(UNREADABLE)
        size = result.get("file_size")
        if isinstance(size, int) and size > MAX_BYTES:
            raise VoiceError(TOO_BIG)
        return await _download(client, f"{base}/file/bot{token}/{result['file_path']}")


def twilio_media_ok(url: str, api_url: str | None) -> bool:
    """The account's credentials go only to Twilio's own API (or the configured one in tests)."""
    base = (api_url or TWILIO_API).rstrip("/")
    return url.startswith(base + "/")


async def twilio_media(url: str, account_sid: str, auth_token: str, api_url: str | None) -> bytes:
    if not twilio_media_ok(url, api_url):
        raise VoiceError(UNREADABLE)
    # Twilio answers with a redirect to its media store; httpx drops the credentials on another host.
    async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True) as client:
        return await _download(client, url, auth=(account_sid, auth_token))
