"""Stop and restart the real server process: a conversation in the middle of a flow continues."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bot.config import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(db_url: str, model_dir: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "SAHABAT_DATABASE_URL": db_url, "SAHABAT_NLU_MODEL_DIR": str(model_dir)}
    env.pop("SAHABAT_NLU_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise AssertionError(f"server exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not become ready in 90 s")
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def post(url: str, sender: str, message: str) -> str:
    r = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=30)
    assert r.status_code == 200, r.text
    return "\n".join(m.get("text", "") for m in r.json())


def test_flow_continues_after_restart(db_url: str, nlu_model_dir: Path, nlu: object) -> None:
    # `nlu` trains the shared model once, so the server processes start from a saved model.
    with server(db_url, nlu_model_dir) as url:
        post(url, "restart-user", "halo")
        asked = post(url, "restart-user", "/check_offer")
        assert "tempel" in asked.lower() or "salin" in asked.lower()
        post(url, "restart-user", "/choose{\"value\": \"paste\"}")
    with server(db_url, nlu_model_dir) as url:
        verdict = post(
            url, "restart-user",
            "Dicari admin online di Kamboja gaji 15jt, visa turis, bayar 5 juta untuk proses, berangkat minggu depan",
        )
        assert "Risiko" in verdict or "risiko" in verdict
