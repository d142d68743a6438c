"""The deployment artefact, as the Dockerfile makes it: a wheel built from the same sources,
installed with --no-deps into a fresh venv, `sahabat serve` started from another directory with
no checkout in sight. Where no Docker engine runs this stands in for the image (an install that
leaves content/ or the model behind fails here: FileNotFoundError .../site-packages/content/...).

The dependencies are not downloaded again: the fresh venv sees this interpreter's import path,
minus the checkout, through a .pth file (the image installs requirements-prod.lock instead, a
subset of the dev lock). The
server runs two workers, so one test also checks that /metrics adds up across them."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import ROOT

SOURCES = ("pyproject.toml", "README.md", "bot", "nlu", "flows", "content")  # the Dockerfile's COPY lines
START_TIMEOUT_S = 60.0
UV = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")

pytestmark = pytest.mark.skipif(UV is None, reason="needs uv (installed by `make install`)")


@dataclass
class Server:
    url: str
    venv: Path
    log: Path
    cwd: Path
    env: dict[str, str]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(*cmd: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{cmd[:3]} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return done.stdout


def _get(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _post(url: str, body: dict[str, object]) -> list[dict[str, object]]:
    req = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(req, timeout=20) as r:
        data = json.loads(r.read())
    assert isinstance(data, list)
    return data


def build_and_install(tmp: Path) -> Path:
    """The wheel from a copy of exactly what the Dockerfile copies, in a venv of its own."""
    src = tmp / "src"
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(origin, src / name)
    assert UV is not None
    _run(UV, "build", "--wheel", "-q", "-o", tmp / "dist", src)
    venv = tmp / "venv"
    _run(UV, "venv", "-q", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    _run(UV, "pip", "install", "-q", "--python", python, "--no-deps", *sorted((tmp / "dist").glob("*.whl")))
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").strip())
    checkout = ROOT.resolve()
    deps = [p for p in sys.path if p and Path(p).is_dir() and Path(p).resolve() != checkout]
    (site / "_sahabat_test_deps.pth").write_text("\n".join(deps) + "\n")
    return venv


def clean_env(home: Path) -> dict[str, str]:
    """No settings, no PYTHONPATH and no checkout: only what an operator's shell would have."""
    keep = {"PATH", "LANG", "LC_ALL", "TZ"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(HOME=str(home), RASA_TELEMETRY_ENABLED="false")
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("deploy")
    venv = build_and_install(tmp)
    elsewhere, home = tmp / "elsewhere", tmp / "home"
    elsewhere.mkdir()
    home.mkdir()
    env = clean_env(home)
    where = _run(venv / "bin" / "python", "-c", "import bot; print(bot.__file__)", cwd=elsewhere, env=env)
    assert where.strip().startswith(str(venv)), f"bot imported from {where.strip()}, not the installed wheel"
    port = _free_port()
    log = tmp / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [venv / "bin" / "sahabat", "serve", "--port", str(port), "--workers", "2"],
            cwd=elsewhere, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert proc.poll() is None, f"sahabat serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
            # uvicorn restarts a worker that died at start-up: its traceback is the failure.
            assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
            assert time.monotonic() < deadline, f"not ready in {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}"
            try:
                if _get(f"{url}/readyz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.3)
        yield Server(url, venv, log, elsewhere, env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_installed_wheel_serves_from_another_directory(server: Server) -> None:
    status, body = _get(f"{server.url}/readyz")
    assert status == 200, body
    ready = json.loads(body)
    assert ready["database"] == "ok" and ready["nlu"]["ready"] is True
    replies = _post(f"{server.url}/webhooks/rest/webhook", {"sender": "smoke-1", "message": "tolong saya dipukul majikan"})
    assert replies and all(r["recipient_id"] == "smoke-1" for r in replies)
    assert any(r.get("text") for r in replies)
    # Data went to the user's data directory, never into site-packages.
    data = Path(server.venv).parent / "home" / ".local" / "share" / "sahabat-migran"
    assert (data / "sahabat.db").is_file() and (data / "nlu-model").is_dir()


def test_installed_content_checks_clean(server: Server) -> None:
    out = _run(server.venv / "bin" / "sahabat", "content", "check", cwd=server.cwd, env=server.env)
    assert out.startswith("content OK:") and "site-packages" in out, out  # the packaged content, checked


def _messages_in(body: str) -> float:
    m = re.search(r'^sahabat_messages_in_total\{channel="rest"\} ([0-9.e+]+)$', body, re.M)
    return float(m.group(1)) if m else 0.0


def test_two_workers_report_one_consistent_count(server: Server) -> None:
    before = _messages_in(_get(f"{server.url}/metrics")[1])
    for i in range(20):
        _post(f"{server.url}/webhooks/rest/webhook", {"sender": f"metrics-{i}", "message": "halo"})
    bodies = [_get(f"{server.url}/metrics")[1] for _ in range(8)]
    scrapes = [_messages_in(b) for b in bodies]
    assert scrapes == [before + 20] * 8, scrapes
    requests = {re.search(r'^http_requests_total\{handler="/webhooks/rest/webhook".*\} (\S+)$', b, re.M) for b in bodies}
    assert len({m.group(1) for m in requests if m}) == 1, "request metrics differ between scrapes"
