"""An office buys on terms, in Debian's chromium against gunicorn started with
the production configuration (several workers, a new connection per request):
the buyer asks for a quote on a 360 px phone, the facility's staff answer in
the admin, the buyer accepts, staff ship and complete the order, the
receivable shows on the dashboard (overdue once its date passes), and staff
confirm the payment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import PriceTier, Product
from orders.documents.models import Invoice
from orders.models import Order, OrderStatus
from quotes.models import Quote, QuoteRequest, RequestStatus
from tests.browser.conftest import Journey
from tests.browser.test_checkout_journeys import PHONE_360, _check
from tests.browser.test_order_journeys import _admin_login, _context
from tests.factories import facility_staff
from tests.journeys.conftest import Server
from tests.orders.factories import ProductFactory, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, production_static_root, tmp_path_factory):
    # Plain HTTP from the browser to gunicorn (no nginx in front): no redirect
    # to https; chromium keeps the Secure cookies on 127.0.0.1 all the same.
    app = Server(
        tmp_path_factory.mktemp("quote-journey"),
        static_root=production_static_root,
        SECURE_SSL_REDIRECT="0",
    )
    yield app
    app.stop()


@pytest.fixture
def world(transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    facility = shop(name="Lapas Kendari", city="Kendari", province="Sulawesi Tenggara")
    # No photo: gunicorn serves no media (nginx does in production).
    paving = ProductFactory(
        facility=facility,
        name="Paving Block Segi Enam",
        price=95_000,
        stock=500,
        unit=Product.Unit.M2,
    )
    PriceTier.objects.create(product=paving, min_quantity=100, unit_price=85_000)
    return {"facility": facility, "paving": paving, "staff": facility_staff(facility)}


def _bulk(desk, order, action):
    desk.visit("/admin/orders/order/", f"orders before {action}")
    desk.page.check(f"input[name=_selected_action][value='{order.pk}']")
    desk.page.select_option("select[name=action]", action)
    desk.page.locator("button[name=index]").click()
    desk.page.wait_for_load_state("load")
    desk.check(f"after {action}")


def test_quote_to_invoiced_and_paid_receivable_on_a_360px_phone(chromium, gunicorn, world):
    base = f"http://127.0.0.1:{gunicorn.port}"
    phone = chromium.new_context(locale="id-ID", **PHONE_360)
    phone.set_default_timeout(30_000)
    buyer = Journey(phone, base, "quote-buyer", "phone360")
    desk = Journey(_context(chromium, "desktop"), base, "quote-staff", "desktop")
    paving = world["paving"]
    try:
        buyer.visit(paving.get_absolute_url(), "product page")
        buyer.page.locator("[data-testid=ask-quote]").click()
        buyer.page.wait_for_load_state("load")
        _check(buyer, "request form")
        page = buyer.page
        page.fill(f"#id_qty_{paving.pk}", "120")
        page.fill("#id_buyer_organisation", "Dinas PUPR Kota Kendari")
        page.fill("#id_buyer_npwp", "01.312.167.0-091.000")  # a wrong check digit
        page.fill("#id_contact_name", "Budi Santoso")
        page.fill("#id_contact_phone", "0812 3456 7890")
        page.fill("#id_contact_email", "pupr@example.go.id")
        page.select_option("#id_province", "Sulawesi Tenggara")
        page.fill("#id_city", "Kendari")
        page.fill("#id_street", "Jl. Ahmad Yani No. 1")
        page.fill("#id_needed_by", (timezone.localdate() + timedelta(days=20)).isoformat())
        page.get_by_role("button", name="Kirim permintaan penawaran").click()
        page.wait_for_load_state("load")
        _check(buyer, "npwp refused")
        assert page.locator("#error-summary").is_visible()
        assert "NPWP tidak valid" in page.locator("#error-summary").inner_text()
        page.fill("#id_buyer_npwp", "01.312.166.0-091.000")
        page.get_by_role("button", name="Kirim permintaan penawaran").click()
        page.wait_for_load_state("load")
        _check(buyer, "request sent")
        request = QuoteRequest.objects.get()
        assert f"/penawaran/{request.token}/" in page.url
        quote_url = page.url.removeprefix(base)

        # Staff answer in the admin: the tier price (85.000 from 100 m²) is prefilled.
        _admin_login(desk, world["staff"].username)
        desk.visit(f"/admin/quotes/quoterequest/{request.pk}/change/", "request in admin")
        line = request.lines.get()
        assert desk.page.input_value(f"#id_price_{line.pk}") == "85000"
        desk.page.select_option("#id_step", "send")
        desk.page.fill("#id_delivery_fee", "750000")
        desk.page.check("input[name=terms][value=after]")
        desk.page.fill("#id_payment_terms_days", "30")
        desk.page.fill("#id_note", "Termasuk bongkar muat di lokasi.")
        desk.page.locator("input[name=_save]").click()
        desk.page.wait_for_load_state("load")
        desk.check("quote sent")
        quote = Quote.objects.get()
        assert (quote.total, quote.payment_terms_days) == (120 * 85_000 + 750_000, 30)

        # The buyer opens the link again (any worker) and accepts.
        buyer.visit(quote_url, "quote")
        _check(buyer, "quote at 360")
        assert "30 hari setelah barang diterima" in page.content()
        page.locator("[data-testid=accept]").click()
        page.wait_for_load_state("load")
        _check(buyer, "accepted")
        order = Order.objects.get()
        assert order.code in page.content()
        assert (order.status, order.payment_terms_days) == (OrderStatus.PROCESSING, 30)

        # Staff deliver first: ship (delivered by the facility) and complete.
        _bulk(desk, order, "ship")
        desk.page.get_by_role("button", name="Tandai dikirim").click()
        desk.page.wait_for_load_state("load")
        desk.check("shipped")
        _bulk(desk, order, "complete")
        order.refresh_from_db()
        assert order.status == OrderStatus.COMPLETED
        assert order.payment_due_date == timezone.localdate() + timedelta(days=30)

        # The buyer tracks the order (code on the quote page, the contact phone)
        # and opens the invoice: numbered, with the organisation, its NPWP, the
        # terms and the total in words.
        buyer.visit("/lacak/", "track form")
        page.fill("#id_code", order.code)
        page.fill("#id_phone", "0812 3456 7890")
        page.get_by_role("button", name="Lacak").click()
        page.wait_for_load_state("load")
        page.locator("a.invoice-link").click()
        page.wait_for_load_state("load")
        _check(buyer, "invoice at 360")
        invoice = Invoice.objects.get(order=order)
        text = page.locator("body").inner_text()
        assert invoice.number.startswith(f"INV/{order.facility_id}/") and invoice.number in text
        assert "Dinas PUPR Kota Kendari" in text and "01.312.166.0-091.000" in text
        assert "Tempo 30 hari setelah barang diterima" in text and "Terbilang" in text
        assert invoice.total == order.total == 120 * 85_000 + 750_000

        # A month on, unpaid: the receivable is overdue on the dashboard.
        Order.objects.filter(pk=order.pk).update(
            payment_due_date=timezone.localdate() - timedelta(days=1)
        )
        desk.visit("/admin/", "dashboard")
        assert order.code in desk.page.locator("#overdue-receivables").inner_text()

        # The transfer arrives: staff confirm it as any payment.
        _bulk(desk, order, "confirm_payment")
        desk.page.locator("#kb-bulk-confirm").click()
        desk.page.wait_for_load_state("load")
        desk.check("paid")
        order.refresh_from_db()
        assert order.paid_at is not None
        desk.visit("/admin/", "dashboard after payment")
        assert desk.page.locator("#overdue-receivables").count() == 0
        buyer.visit(quote_url, "quote after payment")
        assert "lunas" in page.content()
        request.refresh_from_db()
        assert request.status == RequestStatus.ACCEPTED
    finally:
        buyer.context.close()
        desk.context.close()
