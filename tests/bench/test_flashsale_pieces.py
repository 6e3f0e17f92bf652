"""The flash sale's own logic without servers: the shopper in the checkout's
waiting room, and the per-product stock-left invariant. No database."""

import asyncio
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from bench import flashsale_journey
from bench.flashsale_journey import PLACED, SOLD_OUT_CART, SOLD_OUT_PAGE, Trip, _checkout_page
from bench.flashsale_report import judge, summarise

WAITING = (
    b'<html><head><meta http-equiv="refresh" content="0;url=/checkout/"></head>'
    b'<body><section data-antrean="7">Antrean checkout</section></body></html>'
)
FORM = b'<form method="post" action="/checkout/"></form>'


class Pages:
    """GET /checkout/ answers `waits` waiting pages, then the form."""

    def __init__(self, waits: int):
        self.waits, self.asked = waits, 0

    async def get(self, path):
        self.asked += 1
        body = WAITING if self.asked <= self.waits else FORM
        return SimpleNamespace(status=200, body=body, headers={})


def _walk(shopper, trip):
    async def go():
        loop = asyncio.get_running_loop()

        def step(name, started):
            trip.steps_ms[name] = (loop.time() - started) * 1000

        return await _checkout_page(shopper, trip, step, loop)

    return asyncio.run(go())


def test_the_shopper_polls_the_waiting_room_until_the_form(monkeypatch):
    monkeypatch.setattr(flashsale_journey, "WAITING_MIN_POLL_S", 0.01)
    trip, pages = Trip(n=1, product=0), Pages(waits=3)
    page = _walk(pages, trip)
    assert page.body == FORM
    assert pages.asked == 4 and trip.polls == 3
    assert trip.waiting_ms is not None and trip.steps_ms["waiting room"] == trip.waiting_ms
    assert "checkout page" in trip.steps_ms


def test_no_waiting_room_records_no_wait():
    trip, pages = Trip(n=1, product=0), Pages(waits=0)
    _walk(pages, trip)
    assert trip.polls == 0 and trip.waiting_ms is None and "waiting room" not in trip.steps_ms


def test_a_waiting_room_that_never_opens_is_an_error(monkeypatch):
    monkeypatch.setattr(flashsale_journey, "WAITING_MIN_POLL_S", 0.01)
    monkeypatch.setattr(flashsale_journey, "WAITING_LIMIT_S", 0.05)
    with pytest.raises(ValueError, match="still in the waiting room"):
        _walk(Pages(waits=10_000), Trip(n=1, product=0))


@dataclass
class Books:
    stock_left: list[int]
    units_sold: int = 0
    orders_standing: int = 0
    problems: list[str] = field(default_factory=list)


SALE = SimpleNamespace(product_ids=[11, 12], start_stock=[3, 3], total_units=6)
PROBE = {"charges_under_lock_or_transaction": 0}


def _shoppers(*trips):
    sent = {"start": 0.0, "loadgen_cpu": 0.0, "max_lag_ms": 0.0, "wall_s": 1}
    return summarise(list(trips), sent)


def test_a_product_nobody_picked_may_keep_its_stock():
    placed = [Trip(n=i, product=0, outcome=PLACED, place_ms=100.0) for i in range(3)]
    away = Trip(n=9, product=0, outcome=SOLD_OUT_PAGE)
    shoppers = _shoppers(*placed, away)
    books = Books(stock_left=[0, 3], units_sold=3, orders_standing=3)
    assert judge(SALE, shoppers, books, PROBE) == []


def test_stock_left_while_that_products_shoppers_were_refused_is_wrong():
    placed = [Trip(n=i, product=0, outcome=PLACED, place_ms=100.0) for i in range(3)]
    refused = Trip(n=9, product=1, outcome=SOLD_OUT_CART)
    shoppers = _shoppers(*placed, refused)
    books = Books(stock_left=[0, 1], units_sold=5, orders_standing=3)
    broken = judge(SALE, shoppers, books, PROBE)
    assert broken == ["product 12: 1 of 3 left while 1 of its shoppers were turned away"]
