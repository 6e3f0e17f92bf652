"""One flash-sale shopper over HTTP, the way the site offers the journey:
the product page, "+ Keranjang" as the page's script sends it (JSON), the
checkout page read as a browser reads its form, a real address (Tebet,
Jakarta Selatan, picked to the village), courier delivery, QRIS, place; and
the confirmation page with its QR when placed.

When the shop holds shoppers in the checkout's waiting room (GET /checkout/
answers a page marked `data-antrean` with a `<meta http-equiv="refresh"
content="S">`), the shopper does what the browser does: waits S seconds and
asks again, until the form comes (WAITING_LIMIT_S, else an error). The time
from the first ask to the form is the "waiting room" step.

Each step stops the journey where a real shopper would stop: the product page
saying "Stok habis", the cart refusing the unit, the checkout sending them back
to the cart with the stock message. Those are the sold-out outcomes; anything
else unexpected is an error.
"""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.forms import read_form
from bench.loadgen import HttpClient, Request

# The shopper's address as the checkout form posts it (tests/regions_data.py's
# TEBET_POST: real Kemendagri codes, loaded with the shop by flashsale_shop.seed).
ADDRESS = {
    "a-province": "31",
    "a-regency": "31.74",
    "a-district": "31.74.01",
    "a-village": "31.74.01.1002",
    "a-postal_code": "12810",
    "a-street": "Jl. Tebet Raya No. 5",
}

PLACED = "placed"
SOLD_OUT_PAGE = "sold out: product page"
SOLD_OUT_CART = "sold out: cart refused"
SOLD_OUT_CHECKOUT = "sold out: sent back from checkout"
SOLD_OUT = (SOLD_OUT_PAGE, SOLD_OUT_CART, SOLD_OUT_CHECKOUT)
STOCK_WORDS = ("habis", "tidak cukup", "tinggal")
WAITING_LIMIT_S = 120.0
# A browser reloads at once on a refresh of 0; the floor keeps a page that
# says 0 from turning the crowd into a tight loop against the shop.
WAITING_MIN_POLL_S = 0.25
_REFRESH = re.compile(
    rb"<meta\b(?=[^>]*http-equiv=[\"']?refresh)[^>]*\bcontent=[\"']?\s*(\d+)", re.IGNORECASE
)


@dataclass
class Trip:
    n: int
    product: int  # index into the sale's products
    outcome: str = ""
    place_ms: float | None = None  # the "Buat pesanan" POST, send to answer
    journey_ms: float = 0.0  # from the shopper's scheduled arrival to the end
    steps_ms: dict[str, float] = field(default_factory=dict)
    placed_at: float | None = None  # loop time the placing answer came (placed ones)
    waiting_ms: float | None = None  # in the checkout's waiting room (None: not held)
    polls: int = 0  # waiting pages seen before the form
    edge: str = ""  # the product page's X-Edge-Cache (hit, miss, pass; "" without the edge)
    detail: str = ""


class Shopper:
    """A browser's cookies and headers for one shopper."""

    def __init__(self, client: HttpClient, n: int, port: int):
        self.client, self.port = client, port
        self.csrf = secrets.token_hex(16)  # a valid CSRF secret, set as the cookie
        # The browser's cookie jar: the session, and the messages a redirect leaves.
        self.cookies: dict[str, str] = {"csrftoken": self.csrf}
        # A distinct address per shopper (198.18.0.0/15, RFC 2544), as nginx
        # writes it: the per-address checkout limit is for one address, not a crowd.
        self.ip = f"198.{18 + n // 65536}.{n // 256 % 256}.{n % 256}"

    def _headers(self, **extra: str) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v not in ("", '""'))
        return {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.ip,
            "User-Agent": "karyabinaan-flashsale",
            "Cookie": cookie,
            **extra,
        }

    async def get(self, path: str):
        response = await self.client.request(
            Request("GET", path, self._headers(Accept="text/html"))
        )
        self.cookies.update(response.cookies)
        return response

    async def post(self, path: str, fields: dict[str, str], *, accept: str = "text/html"):
        body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf}).encode()
        headers = self._headers(
            Accept=accept,
            Origin=f"https://127.0.0.1:{self.port}",
            Referer=f"https://127.0.0.1:{self.port}{path}",
        )
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = await self.client.request(Request("POST", path, headers, body))
        self.cookies.update(response.cookies)
        return response


def checkout_fields(html: str, n: int) -> dict[str, str]:
    """What a shopper posts from the checkout page: its hidden fields, their
    name and phone, the address, courier for each facility, QRIS."""
    fields, radios = read_form(html, "/checkout/")
    for group, values in radios.items():
        if group.endswith("-delivery"):
            fields[group] = "courier" if "courier" in values else values[0]
    if "qris" not in radios.get("g-payment", []):
        raise ValueError(f"QRIS not offered (payment choices: {radios.get('g-payment')})")
    fields.update(ADDRESS)
    fields.update(
        {
            "g-payment": "qris",
            "c-name": f"Pembeli Obral {n}",
            "c-phone": f"0812{30_000_000 + n:08d}",
            "c-email": f"pembeli{n}@contoh.id",
            "p-agree": "on",
            "action": "place",
        }
    )
    fields.pop("csrfmiddlewaretoken", None)
    return fields


async def shop_once(
    client: HttpClient, port: int, trip: Trip, product_path: str, product_id: int, due: float
) -> Trip:
    """The whole journey; `due` the loop time the shopper was scheduled to arrive."""
    loop = asyncio.get_running_loop()
    shopper = Shopper(client, trip.n, port)

    def step(name: str, started: float) -> None:
        trip.steps_ms[name] = (loop.time() - started) * 1000

    try:
        await _journey(shopper, trip, product_path, product_id, step, loop)
    except (TimeoutError, ConnectionError, OSError) as exc:
        trip.outcome, trip.detail = "error", f"{type(exc).__name__} {exc}"[:200]
    except ValueError as exc:
        trip.outcome, trip.detail = "error", str(exc)[:200]
    trip.journey_ms = (loop.time() - due) * 1000
    return trip


async def _journey(shopper, trip, product_path, product_id, step, loop) -> None:
    t = loop.time()
    page = await shopper.get(product_path)
    step("product page", t)
    trip.edge = page.headers.get("x-edge-cache", "")
    if page.status != 200:
        raise ValueError(f"product page HTTP {page.status}")
    # The product's own availability line ("Stok habis"), not a related
    # product's card further down the page.
    if b'class="availability-out_of_stock"' in page.body:
        trip.outcome, trip.detail = SOLD_OUT_PAGE, "Stok habis"
        return

    t = loop.time()
    added = await shopper.post(
        "/keranjang/tambah/",
        {"product": str(product_id), "quantity": "1"},
        accept="application/json",
    )
    step("add to cart", t)
    answer = _json(added.body)
    if added.status == 400 and any(w in answer.get("message", "") for w in STOCK_WORDS):
        trip.outcome, trip.detail = SOLD_OUT_CART, answer["message"]
        return
    if added.status != 200 or not answer.get("ok"):
        raise ValueError(f"add to cart HTTP {added.status}: {answer.get('message', '')[:120]}")

    form_page = await _checkout_page(shopper, trip, step, loop)
    if form_page.status == 302:  # the cart emptied itself: the product sold out meanwhile
        await _sent_back(shopper, trip, form_page)
        return
    if form_page.status != 200:
        raise ValueError(f"checkout page HTTP {form_page.status}")
    fields = checkout_fields(form_page.body.decode(), trip.n)

    t = time.perf_counter()
    placed = await shopper.post("/checkout/", fields)
    trip.place_ms = (time.perf_counter() - t) * 1000
    location = placed.headers.get("location", "")
    if placed.status == 302 and "/selesai/" in location:
        trip.outcome, trip.placed_at = PLACED, loop.time()
        t = loop.time()
        confirmation = await shopper.get(location)
        step("confirmation", t)
        if confirmation.status != 200 or b"qris.svg" not in confirmation.body:
            raise ValueError(
                f"placed, but the confirmation shows no QR (HTTP {confirmation.status})"
            )
        return
    if placed.status == 302:
        await _sent_back(shopper, trip, placed)
        return
    raise ValueError(f"place HTTP {placed.status}: {_first_error(placed.body)}")


async def _checkout_page(shopper, trip, step, loop):
    """GET /checkout/ until it is not the waiting room: its answer (the form,
    or the redirect back to the cart). The "checkout page" step is the last
    GET; "waiting room" the time from the first GET to that last one."""
    first = t = loop.time()
    page = await shopper.get("/checkout/")
    while page.status == 200 and b"data-antrean" in page.body:
        trip.polls += 1
        match = _REFRESH.search(page.body)
        if match is None:
            raise ValueError("waiting room page without a <meta http-equiv=refresh>")
        if loop.time() - first > WAITING_LIMIT_S:
            raise ValueError(f"still in the waiting room after {WAITING_LIMIT_S:.0f} s")
        await asyncio.sleep(max(int(match.group(1)), WAITING_MIN_POLL_S))
        t = loop.time()
        page = await shopper.get("/checkout/")
    if trip.polls:
        trip.waiting_ms = (t - first) * 1000
        trip.steps_ms["waiting room"] = trip.waiting_ms
    step("checkout page", t)
    return page


async def _sent_back(shopper: Shopper, trip: Trip, response) -> None:
    """Redirected to the cart: read the message the cart shows."""
    cart = await shopper.get(response.headers.get("location", "/keranjang/"))
    text = cart.body.decode("utf-8", "replace")
    for word in STOCK_WORDS:
        at = text.find(word)
        if at >= 0:
            trip.outcome, trip.detail = SOLD_OUT_CHECKOUT, _around(text, at)
            return
    raise ValueError(f"sent back to the cart without a stock message (HTTP {cart.status})")


def _json(body: bytes) -> dict:
    try:
        return json.loads(body)
    except ValueError:
        return {}


def _around(text: str, at: int) -> str:
    start = text.rfind(">", 0, at) + 1
    end = text.find("<", at)
    return text[start:end].strip()[:160]


def _first_error(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    at = text.find('class="field-error"')
    if at < 0:
        at = text.find("error")
    return _around(text, text.find(">", at) + 1) if at >= 0 else text[:120]
