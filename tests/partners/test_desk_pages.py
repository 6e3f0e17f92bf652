"""The desk's pages at /mitra/ and the admin, crossing each line: an outlet
login sees its own outlet only and nothing of the admin; facility staff see
only their outlets' logins and payments; a house login never opens an
outlet's pages."""

import re

import pytest
from django.utils import timezone

from catalog.models import ConsignmentMovement
from partners import services
from partners.models import OutletPayment, PackagingHouse
from tests.partners.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(client, account):
    response = client.post(
        "/mitra/masuk/", {"username": account.user.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/mitra/"
    return client


def key_of(body: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{32})"', body).group(1)


def test_the_desk_shows_this_outlets_holdings_only(client, acun, other):
    outlet, link, _staff, account = acun
    body = signed_in(client, account).get("/mitra/").content.decode()
    assert outlet.name in body and link.product.name in body
    assert other[1].product.name not in body and other[0].name not in body
    assert "Sudah diterima" in body  # the hand-over waits for its receipt


def test_reporting_a_sale_twice_with_one_form_is_one_sale(client, acun):
    _outlet, link, _staff, account = acun
    signed_in(client, account)
    form = client.get("/mitra/terjual/").content.decode()
    post = {
        "key": key_of(form),
        "link": link.pk,
        "quantity": 2,
        "unit_price": 95_000,
        "occurred_on": timezone.localdate().isoformat(),
    }
    assert client.post("/mitra/terjual/", post).status_code == 302
    assert client.post("/mitra/terjual/", post).status_code == 302
    assert ConsignmentMovement.objects.filter(kind="sold").count() == 1
    body = client.get("/mitra/").content.decode()
    assert "Rp 190.000" in body


def test_too_many_returned_is_an_error_at_the_top(client, acun):
    _outlet, link, _staff, account = acun
    signed_in(client, account)
    form = client.get("/mitra/kembali/").content.decode()
    response = client.post(
        "/mitra/kembali/",
        {
            "key": key_of(form),
            "link": link.pk,
            "quantity": 9,
            "occurred_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "error-summary" in body
    # The form offers only what this outlet holds; 9 > 5 is refused by catalog.
    assert "hanya memegang 5" in body or "pilihan yang valid" in body


def test_another_outlets_goods_are_not_offered_nor_accepted(client, acun, other):
    _outlet, _link, _staff, account = acun
    signed_in(client, account)
    form = client.get("/mitra/terjual/").content.decode()
    assert other[1].product.name not in form
    response = client.post(
        "/mitra/terjual/",
        {
            "key": key_of(form),
            "link": other[1].pk,
            "quantity": 1,
            "unit_price": 1,
            "occurred_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    handover = ConsignmentMovement.objects.get(link=other[1], kind="handover")
    assert client.post(f"/mitra/terima/{handover.pk}/").status_code == 404


def test_an_outlet_login_opens_nothing_of_the_admin(client, acun):
    signed_in(client, acun[3])
    for url in ("/admin/", "/admin/catalog/consignmentmovement/", "/admin/partners/outletpayment/"):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_and_strangers_have_no_desk(client, acun):
    client.force_login(acun[2])
    assert client.get("/mitra/terjual/")["Location"].startswith("/mitra/masuk/")
    client.logout()
    assert client.get("/mitra/")["Location"].startswith("/mitra/masuk/")


def test_a_switched_off_login_is_out_at_once(client, acun):
    _outlet, _link, staff, account = acun
    signed_in(client, account)
    services.partner_account_set_active(actor=staff, account=account, active=False)
    assert client.get("/mitra/")["Location"].startswith("/mitra/masuk/")


def test_staff_see_only_their_outlets_logins_and_payments(client, acun, other):
    outlet, _link, staff, account = acun
    services.outlet_payment_report(
        account=other[3],
        month=timezone.localdate(),
        amount=12_345,
        paid_on=timezone.localdate(),
        key="p" * 32,
    )
    mine = services.outlet_payment_report(
        account=account,
        month=timezone.localdate(),
        amount=54_321,
        paid_on=timezone.localdate(),
        key="q" * 32,
    )
    client.force_login(staff)
    accounts = client.get("/admin/partners/partneraccount/").content.decode()
    assert account.user.username in accounts and other[3].user.username not in accounts
    payments = client.get("/admin/partners/outletpayment/").content.decode()
    assert "54321" in payments.replace(".", "") and "12345" not in payments.replace(".", "")
    theirs = OutletPayment.objects.exclude(pk=mine.pk).get()
    assert client.get(f"/admin/partners/outletpayment/{theirs.pk}/change/").status_code == 404
    # The confirm action on someone else's payment finds nothing to confirm.
    client.post(
        "/admin/partners/outletpayment/",
        {"action": "confirm", "_selected_action": [theirs.pk, mine.pk]},
    )
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == "reported" and mine.status == "confirmed"


def test_staff_make_an_outlet_login_in_the_admin(client, acun, other):
    outlet, _link, staff, _account = acun
    client.force_login(staff)
    form = client.get("/admin/partners/partneraccount/add/").content.decode()
    assert other[0].name not in form
    response = client.post(
        "/admin/partners/partneraccount/add/",
        {"outlet": other[0].pk, "username": "penyusup", "password": PASSWORD},
    )
    assert response.status_code == 200  # refused: not a choice
    response = client.post(
        "/admin/partners/partneraccount/add/",
        {"outlet": outlet.pk, "username": "kasir-acun", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert outlet.accounts.filter(user__username="kasir-acun").exists()


def test_a_house_login_never_opens_an_outlets_pages(client, acun):
    house = PackagingHouse.objects.create(name="Rumah Kemasan Uji", city="Banjarmasin")
    from tests.factories import head_office_user

    account = services.partner_account_create(
        actor=head_office_user(), username="kemasan", password=PASSWORD, packaging_house=house
    )
    signed_in(client, account)
    assert client.get("/mitra/terjual/").status_code == 404
    assert client.get("/mitra/setor/").status_code == 404
    assert "Permintaan dari UPT" in client.get("/mitra/").content.decode()


def test_the_statement_shows_what_each_of_its_outlets_owes(client, acun, other):
    outlet, link, staff, account = acun
    services.outlet_report(
        account=account, kind="sold", link=link, quantity=2, unit_price=90_000, key="s" * 32
    )
    services.outlet_report(
        account=other[3],
        kind="sold",
        link=other[1],
        quantity=1,
        unit_price=77_000,
        key="t" * 32,
    )
    services.outlet_payment_record(
        actor=staff,
        outlet=outlet,
        month=timezone.localdate(),
        amount=50_000,
        paid_on=timezone.localdate(),
        key="u" * 32,
    )
    client.force_login(staff)
    body = client.get("/admin/partners/outletstatement/").content.decode()
    assert "Rp 180.000" in body and "Rp 130.000" in body  # sold, owed
    assert other[0].name not in body and "Rp 77.000" not in body
    page = client.get(f"/admin/partners/outletstatement/{outlet.pk}/change/").content.decode()
    assert "Rp 130.000" in page
    assert client.get(f"/admin/partners/outletstatement/{other[0].pk}/change/").status_code == 404


def test_the_outlet_sends_a_payment_with_its_proof_and_staff_open_it(client, acun, other):
    from tests.catalog.listing_factories import image_bytes, upload

    outlet, _link, staff, account = acun
    signed_in(client, account)
    form = client.get("/mitra/setor/").content.decode()
    post = {
        "key": key_of(form),
        "month": timezone.localdate().strftime("%Y-%m"),
        "amount": 170_000,
        "paid_on": timezone.localdate().isoformat(),
    }
    missing = client.post("/mitra/setor/", post)
    assert missing.status_code == 400 and "Foto bukti transfer" in missing.content.decode()
    assert client.post("/mitra/setor/", {**post, "proof": upload(image_bytes())}).status_code == 302
    payment = OutletPayment.objects.get()
    assert payment.status == "reported" and payment.proof.name.startswith("private/")
    client.force_login(staff)
    proof = client.get(f"/admin/partners/outletpayment/{payment.pk}/bukti/")
    assert proof.status_code == 200 and "no-store" in proof["Cache-Control"]
    client.force_login(other[2])
    assert client.get(f"/admin/partners/outletpayment/{payment.pk}/bukti/").status_code == 404


def test_the_desk_asks_the_same_queries_for_one_product_or_many(client, acun):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog import services as catalog_services
    from catalog.models import OutletProduct
    from tests.factories import ProductFactory

    outlet, link, staff, account = acun
    signed_in(client, account)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/mitra/").status_code == 200
        return len(captured)

    one = queries()
    for n in range(6):
        product = ProductFactory(facility=outlet.facility, name=f"Sarang Lovebird {n}")
        more = OutletProduct.objects.create(outlet=outlet, product=product)
        catalog_services.consignment_hand_over(link=more, quantity=2, actor=staff)
        services.outlet_report(
            account=account,
            kind="sold",
            link=more,
            quantity=1,
            unit_price=50_000,
            key=f"{n}" * 32,
        )
    assert queries() == one
