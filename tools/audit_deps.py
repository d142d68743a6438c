"""Audit the locked dependencies for known vulnerabilities: `python -m tools.audit_deps`.

pip-audit does the audit. Where its vulnerability services are out of reach (as on the CI
machines, which see only package registries), the project's own JSON on PyPI still lists the known
vulnerabilities of each project's newest release: a pin that is the newest release is checked
against that, and every pin left unchecked is named. Any known vulnerability fails the run;
`--strict` also fails it when a pin could not be checked at all."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def pins(lock: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lock.read_text().splitlines():
        m = _PIN.match(line.strip())
        if m:
            found[m.group(1).lower()] = m.group(2)
    return found


def pip_audit(lock: Path) -> tuple[list[dict], set[str]]:
    """Vulnerabilities pip-audit found, and the names it audited."""
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "audit.json"
        subprocess.run(
            [sys.executable, "-m", "pip_audit", "-r", str(lock), "--no-deps", "--disable-pip",
             "-f", "json", "--progress-spinner", "off", "-o", str(out)],
            capture_output=True, text=True, timeout=600,
        )
        if not out.exists():
            return [], set()
        deps = json.loads(out.read_text()).get("dependencies", [])
    vulns = [d for d in deps if d.get("vulns")]
    audited = {d["name"].lower() for d in deps if not d.get("skip_reason")}
    return vulns, audited


def newest_release_vulns(name: str, version: str, index: str) -> list[dict] | None:
    """Known vulnerabilities of `name==version` when it is the newest release; None if unknown."""
    try:
        r = httpx.get(f"{index}/pypi/{name}/json", timeout=20, follow_redirects=True)
        if r.status_code != 200:
            return None
        doc = r.json()
    except (httpx.HTTPError, ValueError):
        return None
    if doc.get("info", {}).get("version") != version or "vulnerabilities" not in doc:
        return None
    return [v for v in doc["vulnerabilities"] if not v.get("withdrawn")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lock", nargs="?", type=Path, default=ROOT / "requirements.lock")
    ap.add_argument("--index", default="https://pypi.org")
    ap.add_argument("--strict", action="store_true", help="fail when a pin could not be audited")
    args = ap.parse_args()
    pinned = pins(args.lock)
    found, audited = pip_audit(args.lock)
    bad = [f"{d['name']}=={d['version']}: {', '.join(v['id'] for v in d['vulns'])}" for d in found]
    rest = sorted(set(pinned) - audited)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda n: newest_release_vulns(n, pinned[n], args.index), rest))
    unchecked = []
    for name, vulns in zip(rest, answers, strict=True):
        if vulns is None:
            unchecked.append(f"{name}=={pinned[name]}")
        elif vulns:
            bad.append(f"{name}=={pinned[name]}: {', '.join(str(v.get('id', '?')) for v in vulns)}")
    print(f"audit: {len(pinned) - len(unchecked)} of {len(pinned)} pinned packages checked "
          f"({len(audited)} by pip-audit's service, {len(rest) - len(unchecked)} as newest releases "
          f"on {args.index})")
    if unchecked:
        print(f"audit: not checked (no vulnerability data reachable, pin is not the newest release): "
              f"{', '.join(unchecked)}")
    for line in bad:
        print(f"audit: VULNERABLE {line}")
    if bad or (args.strict and unchecked):
        return 1
    print("audit: no known vulnerabilities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
