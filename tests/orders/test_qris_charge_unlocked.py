"""The QRIS charge is asked for with no row lock and no transaction open
(orders.services.checkout_submit: orders and intent committed, then the
charge), through the real checkout view and the simulator on a live server.
The probe (tests/lock_probe.py) reads the session's locks at the call; its
control runs the view in one transaction (ATOMIC_REQUESTS), where the
charge waits on the gateway holding the products' row locks.

The same over HTTP against gunicorn, with a crowd: tests/drills/test_flash_sale.py.
"""

from __future__ import annotations

import pytest
from django.db import connection

from orders.payments.models import GatewayPayment
from tests.drills.payment_faults import online_checkout_over_http, simulator  # noqa: F401
from tests.lock_probe import outside_calls, under_lock  # noqa: F401 (fixture)
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def product(db):
    return ProductFactory(facility=shop(), price=150_000, stock=3)


def test_the_qris_charge_is_made_outside_any_lock_or_transaction(
    client,
    simulator,  # noqa: F811
    outside_calls,  # noqa: F811
    product,
):
    response = online_checkout_over_http(client, product, channel="qris")
    assert response.status_code == 302 and "/selesai/" in response["Location"]
    assert GatewayPayment.objects.get().qr_string
    charges = [c for c in outside_calls if "gateway_payment_start" in " ".join(c["where"])]
    assert charges, "the charge went through the probed client"
    assert under_lock(outside_calls) == []
    assert not any(c["in_atomic"] for c in charges)


def test_control_the_probe_sees_the_charge_under_the_checkouts_locks(
    client,
    simulator,  # noqa: F811
    outside_calls,  # noqa: F811
    product,
    monkeypatch,
):
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)
    response = online_checkout_over_http(client, product, channel="qris")
    assert response.status_code == 302
    charges = [c for c in outside_calls if "gateway_payment_start" in " ".join(c["where"])]
    assert charges and all(c["row_locks"] >= 1 and c["in_atomic"] for c in charges)
