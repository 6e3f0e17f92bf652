"""The shopper's invoice on a 360 px phone, in Debian's chromium, over
gunicorn started with the production configuration (tests/journeys' Server):
track the order by code and phone, open the invoice from the tracking page,
and the document fits the screen; the delivery note too.

Chromium talks plain HTTP to 127.0.0.1 and every request carries the
`X-Forwarded-Proto: https` that nginx would add, so the production settings
(HTTPS redirect, secure cookies) apply as they do behind the proxy.
"""

import re

import pytest

from catalog.models import ListingStatus
from orders import services as order_services
from orders.documents.models import Invoice
from orders.models import Order
from tests.browser.conftest import Journey
from tests.browser.test_checkout_journeys import PHONE_360, _check
from tests.catalog.listing_factories import product_with_photo
from tests.factories import head_office_user
from tests.journeys import conftest as journeys_conftest
from tests.journeys.conftest import Server
from tests.orders.factories import JAKARTA, place, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, production_static_root, tmp_path_factory):
    # Chromium reaches gunicorn over plain HTTP and will not let a test
    # rewrite a form's Origin, so this one origin is trusted for CSRF (the
    # port is picked first to name it); every other production setting holds.
    port = journeys_conftest._free_port()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(journeys_conftest, "_free_port", lambda: port)
        app = Server(
            tmp_path_factory.mktemp("invoice-server"),
            static_root=production_static_root,
            CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
        )
    yield app
    app.stop()


@pytest.fixture
def office_order(media):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    facility = shop(name="Lapas Kelas IIA Kendari", city="Kendari", province="Sulawesi Tenggara")
    product = product_with_photo(
        status=ListingStatus.APPROVED,
        facility=facility,
        name="Paving Block K-300 Segi Enam Tebal 8 cm untuk Halaman Kantor",
        price=95_000,
        stock=500,
        unit="m2",
    )
    order = place([(product, 120)], delivery="courier", address=JAKARTA).orders[0]
    Order.objects.filter(pk=order.pk).update(
        buyer_organisation="Dinas Pekerjaan Umum dan Penataan Ruang Kota Kendari",
        buyer_npwp="013121660091000",
    )
    staff = head_office_user()
    order_services.order_confirm_payment(order=order, actor=staff)  # invoiced here
    order_services.order_start_processing(order=order, actor=staff)  # surat jalan from here
    return Order.objects.get(pk=order.pk)


def _behind_the_proxy(context):
    """What nginx adds in front of gunicorn: the request came in over https."""
    context.set_extra_http_headers({"X-Forwarded-Proto": "https"})


def test_shopper_opens_the_invoice_from_tracking_on_a_360px_phone(chromium, gunicorn, office_order):
    context = chromium.new_context(locale="id-ID", **PHONE_360)
    context.set_default_timeout(30_000)
    _behind_the_proxy(context)
    shopper = Journey(context, f"http://127.0.0.1:{gunicorn.port}", "invoice-shopper", "phone360")
    try:
        shopper.visit("/lacak/", "track form")
        shopper.page.fill("#id_code", office_order.code)
        shopper.page.fill("#id_phone", "0812 3456 7890")
        shopper.page.get_by_role("button", name="Lacak").click()
        shopper.page.wait_for_load_state("load")
        _check(shopper, "order page")
        shopper.page.locator("a.invoice-link").click()
        shopper.page.wait_for_load_state("load")
        _check(shopper, "invoice")
        html = shopper.page.content()
        invoice = Invoice.objects.get(order=office_order)
        assert invoice.number in html
        assert "01.312.166.0-091.000" in html and "LUNAS" in html
        assert "Terbilang" in html
        widest = shopper.page.evaluate(
            "() => Math.max(...Array.from(document.querySelectorAll('main *'))"
            ".map(el => el.getBoundingClientRect().right))"
        )
        assert widest <= 360, f"something in the invoice reaches {widest}px"
        shopper.page.emulate_media(media="print")
        assert shopper.page.locator(".doc-actions").is_hidden()
        shopper.page.emulate_media(media="screen")
        # On paper: one A4 page, as chromium's own "save as PDF" lays it out.
        pdf = shopper.page.pdf(format="A4", prefer_css_page_size=True)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"the invoice prints on {pages} A4 pages"

        shopper.visit(f"/lacak/{office_order.code}/surat-jalan/", "delivery note")
        assert "Rp " not in shopper.page.locator("main").inner_text()
        # Nobody else's session opens it: the wrong-code answer.
        stranger = chromium.new_context(locale="id-ID", **PHONE_360)
        _behind_the_proxy(stranger)
        page = stranger.new_page()
        response = page.goto(f"http://127.0.0.1:{gunicorn.port}/lacak/{office_order.code}/faktur/")
        assert response.status == 404
        assert "tidak cocok" in page.content() and invoice.number not in page.content()
        stranger.close()
    finally:
        context.close()
