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
