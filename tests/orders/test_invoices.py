"""When an order is invoiced, the number it gets, and what the invoice keeps.

The rule and the numbering live in orders.documents.invoices; these tests walk orders
through the real status services and read the invoice that came out.
"""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from orders import privacy, services
from orders.documents import content as documents
from orders.documents import invoices
from orders.documents.models import Invoice, InvoiceNumberCounter
from orders.models import Order, OrderStatus
from tests.factories import head_office_user
from tests.orders.factories import JAKARTA, PALEMBANG, ProductFactory, place, shop
from tests.orders.test_services import _order_in as _walked

pytestmark = pytest.mark.django_db

S = OrderStatus
NPWP = "013121660091000"  # 01.312.166.0-091.000, a valid 15-digit NPWP


def _order_in(status, product, **kwargs):
    return _walked(status, product, **kwargs)[0]


def _paid_unbilled(product, n=1):
    """Orders marked paid without the status service, so no invoice exists yet
    and the test decides when (and at what moment) it is issued."""
    orders = [place([(product, 1)]).orders[0] for _ in range(n)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status=S.PAID)
    return [Order.objects.get(pk=o.pk) for o in orders]


def test_paid_before_order_is_invoiced_when_payment_is_confirmed(mukena):
    order = place([(mukena, 2)]).orders[0]
    assert invoices.invoice_issue_if_due(order=order) is None  # still awaiting payment
    assert not Invoice.objects.exists()
    services.order_confirm_payment(order=order, actor=head_office_user())
    invoice = Invoice.objects.get(order=order)
    year = invoice.issued_on.year
    assert invoice.number == f"INV/{mukena.facility_id}/{year}/00001"
    assert invoice.sequence == 1 and invoice.settled_at_issue
    assert invoice.lines == [
        {
            "name": "Mukena Bordir",
            "unit": "pcs",
            "quantity": 2,
            "unit_price": 175_000,
            "line_total": 350_000,
        }
    ]
    assert (invoice.subtotal, invoice.shipping_fee, invoice.total) == (350_000, 0, 350_000)
    assert invoice.seller_name == mukena.facility.name
    assert invoice.seller_bank_accounts[0]["account_holder"].startswith("BPG ")


def test_issuing_twice_returns_the_same_invoice_and_takes_one_number(mukena):
    order = _order_in(S.PAID, mukena)
    first = Invoice.objects.get(order=order)
    again = invoices.invoice_issue_if_due(order=order)
    services.order_start_processing(order=order, actor=head_office_user())
    assert again.pk == first.pk
    assert Invoice.objects.count() == 1
    assert InvoiceNumberCounter.objects.get().last_number == 1


def test_pay_at_pickup_is_invoiced_when_handed_over(mukena):
    order = place([(mukena, 1)], payment="pay_at_pickup").orders[0]
    assert order.status == S.PROCESSING  # pay-at-pickup orders start here, unpaid
    staff = head_office_user()
    services.order_ready_for_pickup(order=order, actor=staff)
    assert not Invoice.objects.filter(order=order).exists()
    services.order_complete(order=order, actor=staff)
    assert Invoice.objects.get(order=order).settled_at_issue


def test_order_on_terms_is_invoiced_when_the_goods_leave(mukena):
    order = place([(mukena, 1)], delivery="courier", address=JAKARTA).orders[0]
    # Accepted quote for an office: 30 days after delivery (set by the quotes flow).
    Order.objects.filter(pk=order.pk).update(
        status=S.PROCESSING,
        payment_terms_days=30,
        buyer_organisation="Dinas PUPR Kota Kendari",
        buyer_npwp=NPWP,
    )
    order.refresh_from_db()
    assert invoices.invoice_issue_if_due(order=order) is None  # processing: not yet
    services.order_ship(order=order, actor=head_office_user(), courier="JNE", tracking_number="X1")
    invoice = Invoice.objects.get(order=order)
    assert invoice.payment_terms_days == 30 and not invoice.settled_at_issue
    assert invoice.buyer_organisation == "Dinas PUPR Kota Kendari"
    doc = documents.invoice_document(invoice, order)
    assert doc.buyer.npwp == "01.312.166.0-091.000"
    assert doc.shows_bank_accounts  # still to be transferred


def test_orders_called_off_before_billing_are_never_invoiced(mukena):
    for status in (S.CANCELLED, S.EXPIRED):
        order = _order_in(status, ProductFactory(facility=mukena.facility, stock=5))
        assert invoices.invoice_issue_if_due(order=order) is None
    assert not Invoice.objects.exists()


def test_cancelled_after_billing_keeps_its_number_and_says_so(mukena):
    order = _order_in(S.PAID, mukena)
    services.order_cancel(order=order, actor=head_office_user(), reason="stok rusak")
    invoice = Invoice.objects.get(order=order)
    order.refresh_from_db()
    assert invoice.sequence == 1
    assert documents.invoice_document(invoice, order).cancelled


def test_sequences_are_per_facility(mukena, miniature):
    a1, a2 = _paid_unbilled(mukena, 2)
    (b1,) = _paid_unbilled(miniature, 1)
    for order in (a1, b1, a2):
        invoices.invoice_issue_if_due(order=order)
    numbers = dict(Invoice.objects.values_list("order_id", "sequence"))
    assert (numbers[a1.pk], numbers[a2.pk], numbers[b1.pk]) == (1, 2, 1)


def test_the_count_starts_again_each_year_of_the_facility(mukena):
    december, new_year, later = _paid_unbilled(mukena, 3)
    invoices.invoice_issue_if_due(order=december, now=datetime(2026, 12, 31, 16, 0, tzinfo=UTC))
    # 17:30 UTC on 31 December is 00:30 on 1 January in WIB: the new year's first.
    invoices.invoice_issue_if_due(order=new_year, now=datetime(2026, 12, 31, 17, 30, tzinfo=UTC))
    invoices.invoice_issue_if_due(order=later, now=datetime(2027, 1, 2, 3, 0, tzinfo=UTC))
    got = {i.order_id: i.number for i in Invoice.objects.all()}
    fid = mukena.facility_id
    assert got[december.pk] == f"INV/{fid}/2026/00001"
    assert got[new_year.pk] == f"INV/{fid}/2027/00001"
    assert got[later.pk] == f"INV/{fid}/2027/00002"


def test_a_rolled_back_issue_leaves_no_gap(mukena):
    first, second = _paid_unbilled(mukena, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        invoices.invoice_issue_if_due(order=first)
        raise RuntimeError("the status move failed after the invoice was made")
    assert not Invoice.objects.exists()
    invoices.invoice_issue_if_due(order=second)
    invoices.invoice_issue_if_due(order=first)
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2]
    assert Invoice.objects.get(order=second).sequence == 1


def test_the_database_refuses_a_duplicate_number(mukena):
    first, second = _paid_unbilled(mukena, 2)
    invoice = invoices.invoice_issue_if_due(order=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(
            **{
                f.name: getattr(invoice, f.name)
                for f in Invoice._meta.concrete_fields
                if f.name not in ("id", "order", "number")
            },
            order=second,
            number="INV/other",
        )


def test_a_printed_invoice_does_not_change_when_the_facility_does(mukena):
    (order,) = _paid_unbilled(mukena)
    invoice = invoices.invoice_issue_if_due(order=order)
    facility = mukena.facility
    facility.address, facility.name = "Jl. Baru No. 99", "Lapas Berganti Nama"
    facility.save()
    facility.bank_accounts.update(account_number="9999")
    mukena.unit = "kg"
    mukena.save()
    doc = documents.invoice_document(Invoice.objects.get(pk=invoice.pk), order)
    assert doc.seller.name == "Lapas Perempuan Palembang Uji"
    assert "Jl. Baru" not in doc.seller.address
    assert all(a["account_number"] != "9999" for a in doc.seller.bank_accounts)
    assert doc.lines[0].unit == "pcs"


def test_amounts_and_terbilang(mukena):
    product = ProductFactory(facility=mukena.facility, price=110_000, stock=5, unit="m2")
    order = place([(product, 1)], delivery="local", address=PALEMBANG).orders[0]
    services.order_confirm_payment(order=order, actor=head_office_user())
    doc = documents.invoice_document(Invoice.objects.get(order=order), order)
    assert (doc.subtotal, doc.shipping_fee, doc.total) == (110_000, 15_000, 125_000)
    assert doc.amount_in_words == "Seratus dua puluh lima ribu rupiah"
    assert doc.lines[0].unit == "m²"
    assert not doc.shows_bank_accounts  # LUNAS: nothing left to transfer


def test_erasing_the_shopper_blanks_them_on_the_invoice_too(mukena):
    order = _order_in(S.COMPLETED, mukena)
    privacy.order_anonymise(order=order, reason="uji")
    invoice = Invoice.objects.get(order=order)
    assert invoice.buyer_name == privacy.ANONYMOUS_NAME and invoice.buyer_address == ""
    assert invoice.total == order.total  # the books still add up


def test_delivery_note_is_printed_from_processing_on(mukena):
    assert not invoices.delivery_note_available(_order_in(S.PAID, mukena))
    product = ProductFactory(facility=mukena.facility, stock=5)
    assert invoices.delivery_note_available(_order_in(S.PROCESSING, product))
    assert not invoices.delivery_note_available(_order_in(S.CANCELLED, product))


def test_invoice_numbers_look_like_the_brief(db):
    assert invoices.invoice_number(12, 2026, 7) == "INV/12/2026/00007"


def test_a_facility_without_bank_account_still_gets_an_invoice(db):
    facility = shop()
    facility.bank_accounts.all().delete()
    (order,) = _paid_unbilled(ProductFactory(facility=facility, stock=3))
    assert invoices.invoice_issue_if_due(order=order).seller_bank_accounts == []
