"""Shopper journeys over HTTP against gunicorn, in the shape production runs.

The test client is one process; production is several gunicorn workers. Here
gunicorn starts with marketplace/gunicorn_conf.py, the production settings and
the default cache (each worker its own), several workers, on the pytest test
database; every request is a new connection, as a phone on a mobile network
makes them, so whichever worker accepts it answers. Rows a journey needs are
committed first (transactional_db), so the workers can see them.

The test process plays nginx too: requests come from 127.0.0.1 (the trusted
proxy) with the shopper's own address in X-Forwarded-For and
X-Forwarded-Proto: https. An attacker who skips nginx connects from
127.0.0.2, which is not a trusted proxy.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests import servers
from tests.regions_data import TEBET_POST

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORN_CONF = ROOT / "marketplace" / "gunicorn_conf.py"
ARTIFACTS = ROOT / "test-artifacts" / "journeys"
# The environment a deployment might carry that would change what is tested:
# the journeys run on the defaults docs/operations.md documents.
NOT_INHERITED = (
    "DJANGO_",
    "SECURE_",
    "GUNICORN_",
    "RATE_LIMIT_",
    "CACHE_URL",
    "SESSION_ENGINE",
    "TRUSTED_PROXIES",
    "WEB_CONCURRENCY",
    "PORT",
    "DEBUG",
    "PUBLIC_PAGE_CACHE_SECONDS",
    "DATABASE_",
)
WORKERS = 3
ACCESS_LOG_FORMAT = "%(p)s %(m)s %(U)s %(s)s"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn -c marketplace/gunicorn_conf.py marketplace.wsgi, as production starts it."""

    def __init__(self, folder: Path, *, static_root: Path, **env_overrides: str):
        folder.mkdir(parents=True, exist_ok=True)
        self.port = _free_port()
        self.log = folder / "gunicorn.log"
        self.access_log = folder / "access.log"
        self.media_root = folder / "media"
        env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
        env.update(
            DJANGO_SETTINGS_MODULE="marketplace.settings_production",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=servers.test_database_url(),
            STATIC_ROOT=str(static_root),
            MEDIA_ROOT=str(self.media_root),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            WEB_CONCURRENCY=str(WORKERS),
        )
        env.update(env_overrides)
        self.workers = int(env["WEB_CONCURRENCY"])
        # The pretend nginx says https (X-Forwarded-Proto), which gunicorn
        # believes from 127.0.0.1 (forwarded_allow_ips) whatever the settings.
        self.origin = f"https://127.0.0.1:{self.port}"
        command = [
            str(GUNICORN),
            "-c",
            str(GUNICORN_CONF),
            # Which worker answered each request (the process id), so a test can
            # show that its journey really crossed workers.
            "--access-logfile",
            str(self.access_log),
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "marketplace.wsgi",
        ]
        self.process = servers.start(command, env=env, cwd=ROOT, log=self.log)
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()  # never left running: the caller gets no object to stop
            raise

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("gunicorn exited:\n" + self.log.read_text())
            booted = self.log.read_text().count("Booting worker")
            try:
                if booted >= self.workers and Browser(self).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("gunicorn did not come up:\n" + self.log.read_text())

    def answered(self, method: str, path_pattern: str) -> Counter:
        """How many requests matching method and path each worker (pid) answered."""
        return Counter(pid for pid, _status in self._log(method, path_pattern))

    def statuses(self, method: str, path_pattern: str) -> Counter:
        """How many requests matching method and path got each status."""
        return Counter(status for _pid, status in self._log(method, path_pattern))

    def _log(self, method: str, path_pattern: str) -> list[tuple[str, str]]:
        pattern = re.compile(path_pattern)
        entries = []
        for line in self.access_log.read_text().splitlines():
            pid, verb, path, status = line.split(" ", 3)
            if verb == method and pattern.fullmatch(path):
                entries.append((pid, status))
        return entries

    def stop(self) -> None:
        servers.stop(self.process, timeout=30)


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: str
    path: str

    @property
    def location(self) -> str:
        """The redirect target as a path on this site."""
        parts = urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def hidden(self, name: str) -> str:
        match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.body)
        assert match, f"no {name} on {self.path} ({self.status})"
        return unescape(match.group(1))

    @property
    def csrf(self) -> str:
        return self.hidden("csrfmiddlewaretoken")


class Browser:
    """A shopper's phone: its own cookies, a new TCP connection for every request.

    `address` is the shopper's public address, which the pretend nginx puts in
    X-Forwarded-For. `direct=True` skips nginx: the connection comes from
    127.0.0.2 and X-Forwarded-For is whatever the client writes (`forged`).
    """

    def __init__(self, server: Server, address: str = "198.51.100.1", *, direct: bool = False):
        self.server = server
        self.address = address
        self.direct = direct
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, fields=None, files=None, forged: str = "") -> Page:
        source = "127.0.0.2" if self.direct else "127.0.0.1"
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.server.port, timeout=60, source_address=(source, 0)
        )
        headers = {"Host": f"127.0.0.1:{self.server.port}", "Connection": "close"}
        if self.direct:
            if forged:
                headers["X-Forwarded-For"] = forged
        else:
            # What nginx adds: the address it saw, appended to whatever the client sent.
            headers["X-Forwarded-For"] = f"{forged}, {self.address}" if forged else self.address
        headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            headers["Origin"] = self.server.origin
            headers["Referer"] = self.server.origin + path
            if files:
                body, content_type = _multipart(fields or {}, files)
            else:
                body, content_type = (
                    urlencode(fields or {}).encode(),
                    ("application/x-www-form-urlencoded"),
                )
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = Page(response.status, response.msg, response.read().decode(), path)
        finally:
            connection.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return page

    def get(self, path: str, *, follow: bool = True) -> Page:
        page = self.request("GET", path)
        hops = 0
        while follow and page.status in (301, 302, 303) and hops < 5:
            page, hops = self.request("GET", page.location), hops + 1
        return page

    def post(self, path: str, fields: dict, *, files=None, follow: bool = False, forged=""):
        page = self.request("POST", path, fields=fields, files=files, forged=forged)
        if follow and page.status in (301, 302, 303):
            return self.get(page.location)
        return page

    # --- the steps of a shopper's journey ------------------------------------------

    def add_to_cart(self, product_id: int, quantity: int = 1) -> Page:
        # As a shopper without JavaScript: the buy page holds the real form
        # (product pages are shared and carry no token, docs/edge-cache.md).
        token = self.get(f"/keranjang/beli/?product={product_id}").csrf
        return self.post(
            "/keranjang/tambah/",
            {"csrfmiddlewaretoken": token, "product": product_id, "quantity": quantity},
            follow=True,
        )

    def cart(self) -> dict[int, int]:
        """Product id -> quantity, as the cart page shows it."""
        page = self.get("/keranjang/")
        assert page.status == 200, page.status
        return cart_lines(page.body)

    def checkout_fields(self, facility_ids, *, phone: str = "0812-3456-7890") -> dict:
        """The checkout page's hidden fields plus a shopper's answers."""
        page = self.get("/checkout/")
        assert page.status == 200, (page.status, page.path)
        fields = {
            "csrfmiddlewaretoken": page.csrf,
            "idempotency_key": page.hidden("idempotency_key"),
            "cart_token": page.hidden("cart_token"),
            "c-name": "Siti Aminah",
            "c-phone": phone,
            "p-agree": "on",
            "action": "place",
            **TEBET_POST,
        }
        for facility_id in facility_ids:
            fields[f"f{facility_id}-delivery"] = "courier"
        fields["g-payment"] = "bank_transfer"  # one payment choice per checkout
        return fields

    def track(self, code: str, phone: str) -> Page:
        token = self.get("/lacak/").csrf
        return self.post("/lacak/", {"csrfmiddlewaretoken": token, "code": code, "phone": phone})


CART_LINE = re.compile(r'id="q-(\d+)" type="number" name="quantity" value="(\d+)"')


def cart_lines(body: str) -> dict[int, int]:
    return {int(pk): int(quantity) for pk, quantity in CART_LINE.findall(body)}


def order_codes(body: str) -> list[str]:
    return re.findall(r'<strong class="order-code">([A-Z0-9]+)</strong>', body)


def _multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, (filename, content_type, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def record_figure(name: str, **values) -> None:
    """Keep a measured figure (cart views right out of N, ...) for the notes."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "figures.json"
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures[name] = values
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    print(f"\n[journeys] {name}: {values}")


@pytest.fixture(scope="session")
def static_root(production_static_root):
    return production_static_root


@pytest.fixture(scope="module")
def server(django_db_setup, static_root, tmp_path_factory):
    """The production start: default cache, default sessions, several workers."""
    app = Server(tmp_path_factory.mktemp("journey-server"), static_root=static_root)
    yield app
    app.stop()
