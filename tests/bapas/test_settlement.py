"""A business's order, paid online through the simulator, is owed to the
business's own account: not to its Bapas, not to a Lapas in the same cart.

Over real HTTP as in tests/orders/test_gateway_flows.py: the shop's Midtrans
client talks to gatewaysim on a live server, the simulator notifies back."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from orders.models import Order, OrderStatus
from orders.payments.models import GatewayPayment, SettlementEntry
from tests.bapas.conftest import register
from tests.drills.checkout_steps import checkout_form, fill_cart
from tests.factories import BankAccountFactory, ProductFactory, head_office_user, shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def simulator(live_server, settings):
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = live_server.url + "/_simulator/midtrans"
    settings.SITE_URL = live_server.url
    settings.BITESHIP_API_KEY = ""
    return live_server


def test_an_enterprise_order_settles_to_the_clients_account(
    client, simulator, media, officer, bapas_baubau, sultra
):
    BankAccountFactory(facility=bapas_baubau, account_holder="BPG Bapas Baubau")
    enterprise = register(officer)
    bag = ProductFactory(facility=enterprise.facility, price=240_000, stock=4)
    lapas = shop(region=sultra, name="Lapas Baubau", slug="lapas-baubau")
    mat = ProductFactory(facility=lapas, price=90_000, stock=4)

    fill_cart(client, bag, mat)
    data = checkout_form(client, enterprise.facility, lapas)
    data["g-payment"] = "qris"
    placed = client.post("/checkout/", data)
    assert placed.status_code == 302, placed.content.decode()[:2000]
    payment = GatewayPayment.objects.get()
    call_command("simulate_payment", payment.checkout.code)

    ours = Order.objects.get(facility=enterprise.facility)
    assert ours.status == OrderStatus.PAID
    entry = SettlementEntry.objects.get(order=ours)
    assert entry.facility_id == enterprise.facility_id != bapas_baubau.pk
    assert entry.amount == ours.total and entry.status == SettlementEntry.Status.OWED
    assert SettlementEntry.objects.get(order__facility=lapas).facility_id == lapas.pk
    assert not SettlementEntry.objects.filter(facility=bapas_baubau).exists()

    # Head office's payout sheet names the client's account for the business's line.
    desk = Client()
    desk.force_login(head_office_user())
    sheet = desk.post(
        "/admin/orders/settlemententry/",
        {
            "action": "payout_sheet",
            "_selected_action": [e.pk for e in SettlementEntry.objects.all()],
        },
    ).content.decode()
    line = next(row for row in sheet.splitlines() if row.startswith("Tas Butonik Wolio"))
    assert "123-456-7890" in line and "Wa Ode Sitti" in line and str(ours.total) in line
    assert "BPG Bapas Baubau" not in line and "BPG Lapas Baubau" not in line
