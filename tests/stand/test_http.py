"""The till over HTTP: QRIS through the web shop's gateway client and the
simulator (real HTTP both ways), the sync endpoint replayed, and the drills
with real threads: a double-tapped sale and two phones selling the last piece
at once."""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from gatewaysim import views as simulator_views
from stand import services
from stand.models import QrisCharge, Sale, SetAside
from tests.orders.concurrency_helpers import run_together

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def simulator(live_server, settings):
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = live_server.url + "/_simulator/midtrans"
    settings.SITE_URL = live_server.url
    return live_server


def phone(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sale_body(*lines, payment="cash", key=None, **extra):
    return {
        "uuid": str(key or uuid.uuid4()),
        "lines": [{"product": p.pk, "quantity": q} for p, q in lines],
        "payment": payment,
        "sold_at": timezone.now().isoformat(),
        **extra,
    }


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_qris_paid_through_the_simulator_and_matched_at_day_close(simulator, till, staff, songket):
    client = phone(staff)
    body = sale_body((songket, 1), payment="qris")
    answer = post(client, f"/stan/kasir/{till.pk}/jual/", body)
    assert answer.status_code == 201 and answer.json()["status"] == "awaiting_qris"
    charged = client.post(f"/stan/kasir/{till.pk}/qris/{body['uuid']}/")
    assert charged.status_code == 200, charged.content
    charge = QrisCharge.objects.get()
    assert charge.qr_string and charge.charged_at
    svg = client.get(charged.json()["qr"])
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    # The buyer scans and pays: the simulator settles and notifies over HTTP.
    txn, outcome = simulator_views.settle(charge.gateway_order_id)
    assert outcome == "settlement"
    assert simulator_views.deliver(txn) == 200
    assert Sale.objects.get().status == Sale.Status.RECORDED
    # The notification again changes nothing.
    assert simulator_views.deliver(txn) == 200
    status = client.get(f"/stan/kasir/{till.pk}/qris/{body['uuid']}/status.json").json()
    assert status["status"] == "recorded"
    closing = services.day_close(
        till=till, day=timezone.localdate(), cash_counted=0, reason="", by=staff
    )
    assert closing.qris_expected == closing.qris_at_gateway == 250_000


def test_unpaid_qris_cancelled_gives_the_piece_back(simulator, till, staff, songket):
    client = phone(staff)
    body = sale_body((songket, 1), payment="qris")
    post(client, f"/stan/kasir/{till.pk}/jual/", body)
    assert SetAside.objects.get(product=songket).left == 2
    assert client.post(f"/stan/kasir/{till.pk}/batal/{body['uuid']}/").status_code == 200
    assert Sale.objects.get().status == Sale.Status.VOID
    assert SetAside.objects.get(product=songket).left == 3


def test_forged_notification_is_refused(client):
    answer = client.post(
        "/stan/gateway/notifikasi/",
        json.dumps(
            {
                "order_id": "STAN-x-1",
                "status_code": "200",
                "gross_amount": "1.00",
                "signature_key": "0",
            }
        ),
        content_type="application/json",
    )
    assert answer.status_code == 403


def test_sync_replayed_twice_over_http_is_applied_once(till, staff, songket, mukena):
    client = phone(staff)
    queue = [sale_body((songket, 1)), sale_body((mukena, 2), payment="transfer")]
    first = post(client, f"/stan/kasir/{till.pk}/sync/", {"sales": queue}).json()["results"]
    second = post(client, f"/stan/kasir/{till.pk}/sync/", {"sales": queue}).json()["results"]
    assert [r["applied"] for r in first] == [True, True]
    assert [r["applied"] for r in second] == [False, False]
    assert Sale.objects.count() == 2
    data = client.get(f"/stan/kasir/{till.pk}/data.json").json()
    assert {p["name"]: p["left"] for p in data["products"]} == {
        "Kain Songket": 2,
        "Mukena Bordir": 0,
    }
    assert len(data["sales"]) == 2


def test_drill_double_tap_reaching_two_workers_is_one_sale(till, staff, songket):
    body = sale_body((songket, 1))
    url = f"/stan/kasir/{till.pk}/jual/"
    answers = run_together([lambda: post(phone(staff), url, body) for _ in range(4)])
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    assert Sale.objects.count() == 1
    assert SetAside.objects.get(product=songket).left == 2


def test_drill_two_phones_sell_the_last_pieces_at_once(till, staff, songket):
    """Three pieces set aside; four phones each sell one online at the same
    moment: three sales, one refusal, never oversold."""
    url = f"/stan/kasir/{till.pk}/jual/"
    answers = run_together(
        [lambda: post(phone(staff), url, sale_body((songket, 1))) for _ in range(4)]
    )
    assert sorted(a.status_code for a in answers) == [201, 201, 201, 409]
    row = SetAside.objects.get(product=songket)
    assert (row.sold, row.left) == (3, 0)


def test_control_a_uuid_per_tap_instead_of_per_sale_would_record_four(till, staff, songket):
    """The control for the double-tap drill: had the phone made a new UUID
    per request (per tap) rather than per sale, the four taps would be four
    sales and three pieces gone. The UUID made once per sale is the fix."""
    url = f"/stan/kasir/{till.pk}/jual/"
    answers = run_together(
        [lambda: post(phone(staff), url, sale_body((songket, 1))) for _ in range(3)]
    )
    assert sorted(a.status_code for a in answers) == [201, 201, 201]
    assert Sale.objects.count() == 3
