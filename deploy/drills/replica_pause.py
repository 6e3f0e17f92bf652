#!/usr/bin/env python3
"""Drill: the replica stops replaying; a shopper still sees their own new order.

    python3 deploy/drills/replica_pause.py [--state .shape]

Against the shape's real primary and hot standby: a product is listed and
replayed, then `SELECT pg_wal_replay_pause()` freezes the replica. A shopper
(Django's test client through the whole middleware stack, the router
included) adds to the cart, checks out and opens the confirmation page, then
opens it again with the pin cookie gone (as after REPLICA_PIN_SECONDS). Both
show the order at once; the replica, asked directly, still does not have it
(the control: reads there would have missed it). A catalog page read from the
replica meanwhile answers with the old stock, which catalog pages tolerate.
Replay resumes and the time the replica needs to catch up is measured.
Prints the figures as JSON; exit 1 when the shopper did not see the order.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[1]


def fresh_sequences() -> None:
    """The test factories number their slugs from 0 in every process; a drill
    runs again and again on the same database, so start them somewhere new."""
    import random

    import factory

    import tests.factories as factories

    offset = random.randint(10**6, 10**9)
    for value in vars(factories).values():
        base = factory.django.DjangoModelFactory
        if isinstance(value, type) and issubclass(value, base) and value is not base:
            value.reset_sequence(offset, force=True)


def drill() -> dict:
    import django

    django.setup()
    fresh_sequences()
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment

    from catalog.models import Product
    from orders.models import Order
    from tests.drills.checkout_steps import checkout_form, fill_cart
    from tests.factories import ProductFactory, shop

    setup_test_environment()  # the test client's response.context, and mail in memory
    replica = connections["replica"]

    def on_replica(sql: str, params=()):
        with replica.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    facility = shop(name=f"Lapas Drill Replika {uuid.uuid4().hex[:6]}")
    product = ProductFactory(facility=facility, name="Keset Sabut Drill", stock=20, price=45_000)
    deadline = time.monotonic() + 30
    while not Product.objects.using("replica").filter(pk=product.pk).exists():
        assert time.monotonic() < deadline, "the replica never replayed the product"
        time.sleep(0.1)

    on_replica("SELECT pg_wal_replay_pause()")
    paused_at = time.monotonic()
    figures: dict = {"drill": "replica_pause"}
    try:
        shopper = Client()
        fill_cart(shopper, product)
        data = checkout_form(shopper, facility)
        placed = time.monotonic()
        response = shopper.post("/checkout/", data)
        assert response.status_code == 302, response.status_code
        confirmation = response["Location"]
        page = shopper.get(confirmation)
        order = Order.objects.filter(facility=facility).latest("pk")
        figures["own_order_seen"] = page.status_code == 200 and order.code in page.text
        figures["own_order_seen_after_ms"] = round((time.monotonic() - placed) * 1000, 1)
        figures["pin_cookie_set"] = "kb_primary" in shopper.cookies
        # Past the pin: the cookie is gone, the page is still the shopper's own.
        shopper.cookies.pop("kb_primary", None)
        again = shopper.get(confirmation)
        figures["own_order_seen_without_pin"] = (
            again.status_code == 200 and order.code in again.text
        )
        # The control: the replica itself has not got the order.
        figures["replica_has_order"] = Order.objects.using("replica").filter(pk=order.pk).exists()
        # Catalog reads go to the replica and show the stock before the sale.
        catalog = Client().get(product.get_absolute_url())
        figures["catalog_page_status"] = catalog.status_code
        figures["stock_primary"] = Product.objects.using("default").get(pk=product.pk).stock
        figures["stock_replica"] = Product.objects.using("replica").get(pk=product.pk).stock
        figures["replica_paused"] = on_replica("SELECT pg_is_wal_replay_paused()")
        figures["replay_lag_s"] = round(
            float(on_replica("SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())")),
            2,
        )
    finally:
        on_replica("SELECT pg_wal_replay_resume()")
    figures["paused_for_s"] = round(time.monotonic() - paused_at, 2)
    resumed = time.monotonic()
    while not Order.objects.using("replica").filter(pk=order.pk).exists():
        assert time.monotonic() - resumed < 30, "the replica never caught up"
        time.sleep(0.02)
    figures["catch_up_ms"] = round((time.monotonic() - resumed) * 1000, 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state", type=Path, default=DEPLOY.parent / ".shape")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        figures = drill()
        print(json.dumps(figures, indent=2))
        ok = figures["own_order_seen"] and figures["own_order_seen_without_pin"]
        return 0 if ok else 1
    sys.path.insert(0, str(DEPLOY))
    import shape

    current = shape.Shape.load(args.state)
    return subprocess.call(
        [current.python, __file__, "--inside"], cwd=shape.ROOT, env=drill_env(current)
    )


def drill_env(current) -> dict:
    """The shape's own databases, with the development settings the test client needs."""
    return {
        **current.app_env(),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver,127.0.0.1",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(DEPLOY.parent), os.environ.get("PYTHONPATH")])
        ),
    }


if __name__ == "__main__":
    sys.exit(main())
