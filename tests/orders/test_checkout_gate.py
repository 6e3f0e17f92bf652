"""The checkout's waiting room (orders/checkout_gate.py): shoppers let into
the form at most CHECKOUT_ADMISSIONS_PER_SECOND a second, first come first
served, each told when their turn is; placing is never gated."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from orders import checkout_gate
from orders.models import CheckoutQueue, Order
from tests.orders.concurrency_helpers import run_together
from tests.orders.factories import ProductFactory, shop
from tests.orders.test_views import add, checkout_data


class Clock:
    """timezone.now as the gate reads it, moved by the test."""

    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(checkout_gate.timezone, "now", clock)
    return clock


@pytest.fixture
def shoppers(db, settings):
    settings.CHECKOUT_ADMISSIONS_PER_SECOND = 2  # a turn every half second
    product = ProductFactory(facility=shop(), stock=10)
    clients = [Client() for _ in range(3)]
    for client in clients:
        add(client, product, 1)
    return product, clients


def _waiting(response) -> bool:
    return response.status_code == 200 and "data-antrean" in response.content.decode()


def test_three_at_once_are_let_in_half_a_second_apart(shoppers, clock):
    product, (first, second, third) = shoppers
    assert not _waiting(first.get("/checkout/"))  # the form
    wait = second.get("/checkout/")
    assert _waiting(wait)
    html = wait.content.decode()
    assert 'http-equiv="refresh" content="1;url=/checkout/"' in html
    assert "tetap disimpan untuk Anda sampai pukul" in html  # the held unit
    assert _waiting(third.get("/checkout/"))
    # Back too early: still waiting, and no new turn is taken (the queue did
    # not move), so coming back often never pushes anyone back.
    row = CheckoutQueue.objects.get().next_turn_at
    clock.now += timedelta(milliseconds=200)
    assert _waiting(second.get("/checkout/"))
    assert CheckoutQueue.objects.get().next_turn_at == row
    clock.now += timedelta(milliseconds=400)  # 0.6 s: the second's turn
    assert not _waiting(second.get("/checkout/"))
    assert _waiting(third.get("/checkout/"))
    clock.now += timedelta(milliseconds=500)  # 1.1 s: the third's
    assert not _waiting(third.get("/checkout/"))
    # Let in once, let in for the whole checkout.
    assert not _waiting(second.get("/checkout/"))


def test_placing_is_never_gated(shoppers, clock):
    product, (first, second, _third) = shoppers
    data = checkout_data(first, {product.facility: ("pickup", "bank_transfer")})
    # The queue is now long; the filled-in form still places.
    for _ in range(20):
        Client().get("/checkout/")
    assert first.post("/checkout/", data).status_code == 302
    assert Order.objects.count() == 1


def test_no_waiting_room_when_switched_off(shoppers, settings, clock):
    settings.CHECKOUT_ADMISSIONS_PER_SECOND = 0
    _product, clients = shoppers
    assert not any(_waiting(c.get("/checkout/")) for c in clients)


@pytest.mark.django_db(transaction=True)
def test_turns_taken_at_once_are_all_different_and_evenly_spaced():
    now = timezone.now()
    checkout_gate._next_turn(10, now)  # the row exists
    turns = run_together([lambda: checkout_gate._next_turn(10, now) for _ in range(20)])
    assert all(not isinstance(t, Exception) for t in turns), turns
    spacing = sorted((t - now).total_seconds() for t in turns)
    assert spacing == pytest.approx([0.1 * (i + 1) for i in range(20)])


@pytest.mark.django_db(transaction=True)
def test_control_read_then_write_turns_collide(monkeypatch):
    """Control: the turn read and then written back in two statements (what
    the one UPDATE ... RETURNING replaces) hands the same turn to several
    shoppers at once, so their admissions bunch up again."""
    now = timezone.now()
    checkout_gate._next_turn(10, now)
    table = CheckoutQueue._meta.db_table
    spacing = timedelta(seconds=0.1)

    def read_then_write(rate, at):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT next_turn_at FROM {table} WHERE name = 'checkout'")
            turn = max(cursor.fetchone()[0], at)
            cursor.execute("SELECT pg_sleep(0.01)")
            cursor.execute(
                f"UPDATE {table} SET next_turn_at = %s WHERE name = 'checkout'",
                [turn + spacing],
            )
        return turn

    turns = run_together([lambda: read_then_write(10, now) for _ in range(20)])
    assert len(set(turns)) < len(turns), "expected the unlocked read-then-write to collide"
