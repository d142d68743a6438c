"""PostgreSQL behind a TcpProxy the fault tests can cut, restore or stall (tests/faults/tcp_proxy.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, make_url, text

from bot.store.db import normalise_url
from tests.faults.tcp_proxy import TcpProxy

PG_URL = os.environ.get("SAHABAT_TEST_POSTGRES_URL")


@pytest.fixture
def pg_behind_proxy() -> Iterator[tuple[str, TcpProxy]]:
    assert PG_URL
    base = make_url(normalise_url(PG_URL))
    name = f"sahabat_outage_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    proxy = TcpProxy(base.host or "127.0.0.1", base.port or 5432)
    proxy.start()
    url = base.set(host="127.0.0.1", port=proxy.port, database=name).render_as_string(hide_password=False)
    try:
        yield url, proxy
    finally:
        proxy.close()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
