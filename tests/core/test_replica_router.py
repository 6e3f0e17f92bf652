"""marketplace/db_router.py: reads on the replica, a shopper's own things on
the primary (issue 33). The drill on a real paused replica is
tests/drills/test_shape.py; these are the router's rules one by one."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from catalog.models import Product
from facilities.models import Facility
from marketplace import db_router
from marketplace.db_router import PIN_COOKIE, PinToPrimaryMiddleware, PrimaryReplicaRouter
from orders.models import Order

router = PrimaryReplicaRouter()
rf = RequestFactory()


@pytest.fixture(autouse=True)
def replica_up(monkeypatch):
    """The suite's settings have no replica alias (it mirrors the primary):
    these rules are about a replica that answers; the fallback tests below
    take it down."""
    monkeypatch.setattr(db_router, "replica_answers", lambda: True)


def _reads(request, *models) -> list[str]:
    """Where each model's reads go while `request` is served."""
    seen = []

    def view(_request):
        seen.extend(router.db_for_read(model) for model in models)
        return HttpResponse("ok")

    PinToPrimaryMiddleware(view)(request)
    return seen


@pytest.mark.parametrize("path", ["/", "/produk/", "/produk/keset-sabut/", "/upt/lapas-kendari/"])
def test_catalog_pages_read_the_replica(path):
    assert _reads(rf.get(path), Product, Facility, None) == ["replica"] * 3


@pytest.mark.parametrize(
    "path",
    [
        "/pesanan-saya/",
        "/pesanan-saya/buka/ABC/",
        "/pesanan/KB-123/selesai/",
        "/lacak/KB-123/",
        "/keranjang/",
        "/checkout/",
        "/buka/token/",
        "/penawaran/token/",
        "/admin/orders/order/",
    ],
)
def test_a_shoppers_own_pages_read_the_primary_without_any_pin(path):
    # No cookie: long after the pin ran out, with a replica paused for minutes.
    assert _reads(rf.get(path), Product, Order) == ["default", "default"]


def test_visitor_rows_read_the_primary_even_on_a_catalog_page():
    # The session (cart, Pesanan saya sign-in) and orders never come from a
    # replica that may lag; the catalog's rows on the same page do.
    assert _reads(rf.get("/produk/"), Session, Order, Product) == ["default", "default", "replica"]


def test_a_write_pins_the_writer_to_the_primary_for_the_pin_seconds(settings):
    settings.REPLICA_PIN_SECONDS = 10
    response = PinToPrimaryMiddleware(lambda r: HttpResponse("ok"))(rf.post("/keranjang/tambah/"))
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    assert 9 < float(cookie.value) - time.time() <= 10

    pinned = rf.get("/produk/")
    pinned.COOKIES[PIN_COOKIE] = cookie.value
    assert _reads(pinned, Product) == ["default"]


@pytest.mark.parametrize("value", [str(time.time() - 1), "not-a-number", ""])
def test_an_expired_or_forged_pin_reads_the_replica(value):
    request = rf.get("/produk/")
    request.COOKIES[PIN_COOKIE] = value
    assert _reads(request, Product) == ["replica"]


def test_gets_set_no_pin_and_writes_always_go_to_the_primary():
    response = PinToPrimaryMiddleware(lambda r: HttpResponse("ok"))(rf.get("/produk/"))
    assert PIN_COOKIE not in response.cookies
    assert router.db_for_write(Product) == router.db_for_write(Order) == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "catalog") is True
    assert router.allow_migrate("replica", "catalog") is False
    assert router.allow_migrate("replica", "orders", model_name="order") is False


class _DeadReplica:
    def __init__(self):
        self.tries = 0

    def close_if_health_check_failed(self):
        return None

    def ensure_connection(self):
        self.tries += 1
        raise OperationalError("connection to replica refused")


def test_a_replica_that_does_not_answer_sends_reads_to_the_primary(monkeypatch, settings):
    monkeypatch.undo()  # the real replica_answers
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    dead = _DeadReplica()
    monkeypatch.setattr(db_router, "connections", {"replica": dead})
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)
    assert _reads(rf.get("/produk/"), Product) == ["default"]
    # Not asked again on every page: one failed connect per retry period.
    assert _reads(rf.get("/"), Product, Facility) == ["default", "default"]
    assert dead.tries == 1
    # After the period it is tried again, and used once it answers.
    monkeypatch.setattr(db_router, "_replica_down_until", time.monotonic() - 1)
    monkeypatch.setattr(db_router, "connections", {"replica": _LiveReplica()})
    assert _reads(rf.get("/produk/"), Product) == ["replica"]


class _LiveReplica:
    def close_if_health_check_failed(self):
        return None

    def ensure_connection(self):
        return None


def test_the_control_without_the_fallback_reads_the_dead_replica(monkeypatch, settings):
    # What the fallback prevents: every catalog read sent to a replica that
    # is down (each page then fails with OperationalError).
    monkeypatch.setattr(db_router, "replica_answers", lambda: True)
    assert _reads(rf.get("/produk/"), Product) == ["replica"]


def test_the_edge_probe_stays_healthy_on_the_primary_while_the_replica_is_down(
    monkeypatch, settings, client, db
):
    monkeypatch.undo()
    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    monkeypatch.setattr(db_router, "connections", {"replica": _DeadReplica()})
    monkeypatch.setattr(db_router, "_replica_down_until", 0.0)
    response = client.get("/healthz", {"reads": "1"})
    assert response.status_code == 200
