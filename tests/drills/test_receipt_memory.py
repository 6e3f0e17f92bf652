"""Drill: one anonymous shopper sends receipt uploads in parallel to the real server.

gunicorn runs with the production settings and marketplace/gunicorn_conf.py on
the suite's own test database (tests/servers.py names it, the embedded
PostgreSQL's socket included), with one worker so that every upload lands on the same
process (the worst case for that process). The worker's resident memory is
sampled while the uploads run.

The attack found on the running site: a 6320x6320 PNG (40 megapixels in about
170 KB) sent ten times at once was decoded ten times before the order's state
or its receipt count was looked at, and pushed a worker to 5 GB. Receipts are
now refused from the image header alone when they have too many pixels, and
the decoding a legitimate receipt needs runs one at a time per process
(core.images.DECODE_SLOTS), so the worker stays flat either way.
"""

from __future__ import annotations

import http.client
import io
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from PIL import Image

from orders.models import PaymentProof
from tests import servers
from tests.drills.test_database_restart import AppServer
from tests.orders.factories import ProductFactory, place, shop

ROOT = Path(__file__).resolve().parents[2]
PARALLEL = 10
# What one worker may use while ten uploads run: an idle worker of this site
# is about 80-100 MB; decoding one 16-megapixel receipt adds about 150 MB.
BOMB_RSS_BOUND_MB = 300
RECEIPT_RSS_BOUND_MB = 400

pytestmark = pytest.mark.django_db(transaction=True)


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    # One flat colour: the PNG stays tiny however many pixels it declares.
    Image.new("RGB", (width, height), (250, 250, 250)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def static_root(production_static_root):
    return production_static_root


@pytest.fixture
def server(static_root, tmp_path):
    def start(**extra_env):
        app = AppServer(
            servers.test_database_url(),
            tmp_path / f"gunicorn-{uuid.uuid4().hex[:6]}.log",
            STATIC_ROOT=str(static_root),
            MEDIA_ROOT=str(tmp_path / "media"),
            # All ten on one process, with the configuration's own thread count.
            WEB_CONCURRENCY="1",
            GUNICORN_THREADS="4",
            # The hourly receipt limit is per address; an attacker has many.
            RATE_LIMIT_RECEIPT="1000",
            **extra_env,
        )
        started.append(app)
        return app

    started: list[AppServer] = []
    yield start
    for app in started:
        app.stop()


class Shopper:
    """A browser's cookies, and a new connection for every request."""

    def __init__(self, app: AppServer):
        self.app = app
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.app.port, timeout=60)
        origin = f"https://127.0.0.1:{self.app.port}"
        all_headers = {
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.msg, text
        finally:
            connection.close()

    def csrf(self, path: str) -> str:
        _status, _headers, body = self.request("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def post_form(self, path: str, fields: dict[str, str]):
        from urllib.parse import urlencode

        fields = {"csrfmiddlewaretoken": self.csrf(path), **fields}
        return self.request(
            "POST",
            path,
            urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )

    def upload(self, path: str, token: str, name: str, data: bytes, content_type: str):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"'
                f"\r\n\r\n{token}\r\n"
                f'--{boundary}\r\nContent-Disposition: form-data; name="receipt"; '
                f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )


class RssSampler:
    """The largest resident set of the server's worker processes, every 20 ms."""

    def __init__(self, app: AppServer):
        master = psutil.Process(app.process.pid)
        self.workers = master.children(recursive=True)
        assert self.workers
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss_mb(self) -> float:
        return max(w.memory_info().rss for w in self.workers) / 2**20

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss_mb())
            time.sleep(0.02)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _tracked_shopper(app: AppServer):
    facility = shop(name="Rutan Uji Memori", city="Raha")
    order = place([(ProductFactory(facility=facility, stock=5), 1)]).orders[0]
    shopper = Shopper(app)
    status, headers, body = shopper.post_form(
        "/lacak/", {"code": order.code, "phone": "081234567890"}
    )
    assert status == 302, body[:2000]
    # Warm the worker up (templates, the receipt form) before measuring.
    path = f"/lacak/{order.code}/"
    assert shopper.request("GET", path)[0] == 200
    return shopper, order


def _parallel_uploads(app, shopper, order, data):
    path = f"/lacak/{order.code}/"
    token = shopper.csrf(path)

    def send(_index):
        return shopper.upload(path + "bukti/", token, "bukti.png", data, "image/png")

    with RssSampler(app) as sampler:
        idle = sampler.rss_mb()
        started = time.monotonic()
        with ThreadPoolExecutor(PARALLEL) as pool:
            results = list(pool.map(send, range(PARALLEL)))
        seconds = time.monotonic() - started
    after = sampler.rss_mb()
    figures = f"idle {idle:.0f} MB, peak {sampler.peak:.0f} MB, after {after:.0f} MB"
    print(f"\n{PARALLEL} parallel uploads of {len(data) // 1024} KB in {seconds:.1f}s: {figures}")
    return results, idle, sampler.peak, figures


def test_ten_parallel_decompression_bombs_leave_the_worker_flat(server):
    app = server()
    shopper, order = _tracked_shopper(app)
    bomb = _png(6320, 6320)
    assert len(bomb) < 250_000  # 40 megapixels in a couple of hundred KB

    results, _idle, peak, figures = _parallel_uploads(app, shopper, order, bomb)

    assert peak < BOMB_RSS_BOUND_MB, figures
    for status, _headers, body in results:
        assert status == 400, body[:2000]
        assert "megapiksel" in body, body[:2000]
    assert not PaymentProof.objects.filter(order=order).exists()
    assert "Traceback" not in app.log.read_text()


def test_ten_parallel_receipts_at_the_pixel_limit_are_decoded_one_at_a_time(server):
    # The largest receipt accepted, ten times at once: each must be decoded,
    # and the decode slots keep the worker's memory to about one decode's worth.
    app = server()
    shopper, order = _tracked_shopper(app)
    receipt = _png(4000, 4000)

    results, _idle, peak, figures = _parallel_uploads(app, shopper, order, receipt)

    statuses = sorted(status for status, _h, _b in results)
    # Five receipts per order; the rest are refused with the count's message.
    assert statuses == [302] * 5 + [400] * 5, statuses
    for status, _headers, body in results:
        if status == 400:
            assert "Sudah 5 bukti diunggah" in body, body[:2000]
    assert PaymentProof.objects.filter(order=order).count() == 5
    assert peak < RECEIPT_RSS_BOUND_MB, figures


def test_control_without_the_decode_slot_the_same_receipts_cost_a_decode_per_thread(server):
    # The same ten uploads with as many slots as uploads: every gunicorn thread
    # decodes at once. Shows that the slot, not luck, keeps the worker flat.
    app = server(IMAGE_DECODE_SLOTS=str(PARALLEL))
    shopper, order = _tracked_shopper(app)

    _results, _idle, peak, figures = _parallel_uploads(app, shopper, order, _png(4000, 4000))

    assert peak > RECEIPT_RSS_BOUND_MB, figures
