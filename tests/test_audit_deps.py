"""The dependency audit fails on a known vulnerability, and names what it could not check.

pip-audit's own services are replaced by nothing (as on machines that reach only package
registries); a local stand-in for PyPI's project JSON answers the fallback."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tools import audit_deps

PROJECTS = {
    "safe-lib": {"info": {"version": "2.0"}, "vulnerabilities": []},
    "leaky-lib": {"info": {"version": "1.4"}, "vulnerabilities": [{"id": "PYSEC-2099-1", "withdrawn": None}]},
    "old-lib": {"info": {"version": "9.0"}, "vulnerabilities": []},
}


class _Index(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        name = self.path.strip("/").split("/")[1]
        doc = PROJECTS.get(name)
        body = json.dumps(doc).encode() if doc else b"{}"
        self.send_response(200 if doc else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def index(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(audit_deps, "pip_audit", lambda lock: ([], set()))  # its services are unreachable
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def audit(index: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """Run the audit over a lock file with these lines, against the stand-in index."""

    def run(lock_text: str, *args: str) -> int:
        lock = tmp_path / "requirements.lock"
        lock.write_text(lock_text)
        monkeypatch.setattr("sys.argv", ["audit_deps", str(lock), "--index", index, *args])
        return audit_deps.main()

    return run


def test_a_known_vulnerability_fails_the_audit(audit: Callable[..., int], capsys: pytest.CaptureFixture[str]) -> None:
    assert audit("safe-lib==2.0\nleaky-lib==1.4 ; python_version >= '3.10'\n    # via something\n") == 1
    out = capsys.readouterr().out
    assert "VULNERABLE leaky-lib==1.4: PYSEC-2099-1" in out
    assert "safe-lib" not in out.split("VULNERABLE", 1)[1]


def test_clean_pins_pass_and_unchecked_ones_are_named(
    audit: Callable[..., int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert audit("safe-lib==2.0\nold-lib==8.1\n") == 0
    out = capsys.readouterr().out
    assert "1 of 2 pinned packages checked" in out
    assert "not checked" in out and "old-lib==8.1" in out
    assert audit("safe-lib==2.0\nold-lib==8.1\n", "--strict") == 1  # a release build can insist
