"""Shared fixtures. Every database test runs on SQLite, and on PostgreSQL when
SAHABAT_TEST_POSTGRES_URL is set (each test then gets a database of its own)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from bot.app_state import Runtime, build_runtime
from bot.config import ROOT, Settings
from bot.server import create_app
from bot.store.db import normalise_url
from nlu.base import NLU

PG_URL = os.environ.get("SAHABAT_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", "postgres"] if PG_URL else ["sqlite"]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'sahabat.db'}"
        return
    assert PG_URL
    name = f"sahabat_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    base = normalise_url(PG_URL).rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def nlu_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("nlu-model")


@pytest.fixture(scope="session")
def nlu(nlu_model_dir: Path) -> NLU:
    """The real embedded NLU, trained once per test session from nlu/data."""
    from nlu.factory import build_nlu

    return build_nlu(Settings(nlu_model_dir=nlu_model_dir, nlu_url=None))


@pytest.fixture
def settings(db_url: str, nlu_model_dir: Path) -> Settings:
    return Settings(database_url=db_url, nlu_model_dir=nlu_model_dir, nlu_url=None, flows_dir=ROOT / "flows")


@pytest.fixture
def runtime(settings: Settings, nlu: NLU) -> Iterator[Runtime]:
    rt = build_runtime(settings, nlu=nlu)
    yield rt
    rt.db.dispose()


@pytest.fixture
def client(settings: Settings, runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(settings, runtime), raise_server_exceptions=False) as c:
        yield c
