"""What the image is built from: requirements-prod.lock (the dev lock's pins minus the dev tools)
and .env.example (every setting)."""

from __future__ import annotations

import re
import tomllib

from bot.config import ROOT

_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", re.M)


def _pins(name: str) -> dict[str, str]:
    return {m[1].lower(): m[2] for m in _PIN.finditer((ROOT / name).read_text())}


def test_production_lock_is_the_dev_lock_without_dev_tools() -> None:
    dev, prod = _pins("requirements.lock"), _pins("requirements-prod.lock")
    assert prod and all(dev.get(name) == version for name, version in prod.items()), "run `make lock`"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    tools = {re.split(r"[<>=\[ ]", spec, maxsplit=1)[0].lower() for spec in extras}
    assert not tools & set(prod), tools & set(prod)
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert {re.split(r"[<>=\[ ]", spec, maxsplit=1)[0].lower() for spec in wanted} <= set(prod)


def test_env_example_lists_every_setting() -> None:
    from bot.config import Settings

    named = set(re.findall(r"^#?\s*SAHABAT_([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    missing = {name.upper() for name in Settings.model_fields} - named
    assert not missing, f".env.example does not name: {sorted(missing)}"
