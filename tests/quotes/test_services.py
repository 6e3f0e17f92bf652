"""Quote states, tier pricing in quotes, NPWP, and the order an acceptance makes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog.models import PriceTier
from orders import services as order_services
from orders.models import OrderStatus
from quotes import services
from quotes.models import QuoteStatus, RequestStatus
from tests.factories import facility_staff
from tests.quotes.conftest import make_request, send_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(kendari):
    return facility_staff(kendari)


def test_request_refuses_a_bad_npwp_with_a_clear_message(kendari, paving):
    with pytest.raises(ValidationError) as refused:
        make_request(kendari, [(paving, 50)], npwp="01.312.167.0-091.000")
    assert "NPWP tidak valid" in " ".join(refused.value.messages)


def test_request_keeps_the_npwp_as_digits(kendari, paving):
    request = make_request(kendari, [(paving, 50)], npwp="01.312.166.0-091.000")
    assert request.buyer_npwp == "013121660091000"
    assert request.status == RequestStatus.OPEN
    assert len(request.token) >= 40


def test_request_refuses_another_facilitys_product(kendari, paving, other_facility):
    from tests.orders.factories import ProductFactory

    elsewhere = ProductFactory(facility=other_facility)
    with pytest.raises(ValidationError):
        make_request(kendari, [(paving, 10), (elsewhere, 1)])


@pytest.mark.parametrize(("quantity", "price"), [(99, 95_000), (100, 85_000), (101, 85_000)])
def test_quote_prices_start_from_the_tier_at_its_boundary(kendari, paving, staff, quantity, price):
    request = make_request(kendari, [(paving, quantity)])
    quote = send_quote(request, staff)
    line = quote.lines.get()
    assert line.unit_price == price
    assert line.line_total == price * quantity
    assert quote.total == price * quantity + 250_000


def test_a_tier_change_never_changes_a_sent_or_accepted_quote(kendari, paving, staff):
    request = make_request(kendari, [(paving, 120)])
    quote = send_quote(request, staff)
    PriceTier.objects.filter(product=paving).update(unit_price=60_000)
    paving.price = 99_000
    paving.save()
    order = services.quote_accept(request=request, quote_id=quote.pk)
    quote.refresh_from_db()
    assert quote.lines.get().unit_price == 85_000
    assert order.lines.get().unit_price == 85_000
    assert order.total == 120 * 85_000 + 250_000


def test_new_version_supersedes_the_old_one_which_cannot_be_accepted(kendari, paving, staff):
    request = make_request(kendari, [(paving, 50)])
    first = send_quote(request, staff)
    second = send_quote(request, staff, prices={request.lines.get().pk: 90_000})
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == (QuoteStatus.SUPERSEDED, "sent", 2)
    with pytest.raises(services.QuoteError, match="versi yang lebih baru"):
        services.quote_accept(request=request, quote_id=first.pk)
    assert services.quote_accept(request=request, quote_id=second.pk).total == 50 * 90_000 + 250_000


def test_expired_quote_cannot_be_accepted(kendari, paving, staff):
    request = make_request(kendari, [(paving, 50)])
    quote = send_quote(request, staff, valid_days=0)
    quote.valid_until = timezone.localdate() - timedelta(days=1)
    quote.save()
    with pytest.raises(services.QuoteError, match="kedaluwarsa"):
        services.quote_accept(request=request, quote_id=quote.pk)
    request.refresh_from_db()
    assert request.order is None


def test_answered_quote_cannot_be_accepted_and_change_request_allows_a_new_version(
    kendari, paving, staff
):
    request = make_request(kendari, [(paving, 50)])
    quote = send_quote(request, staff)
    services.quote_request_change(request=request, quote_id=quote.pk, note="Kirim tanggal 5")
    request.refresh_from_db()
    assert request.status == RequestStatus.CHANGE_REQUESTED
    with pytest.raises(services.QuoteError, match="sudah dijawab"):
        services.quote_accept(request=request, quote_id=quote.pk)
    second = send_quote(request, staff)
    assert second.version == 2
    services.quote_accept(request=request, quote_id=second.pk)
    with pytest.raises(services.QuoteError):
        services.quote_accept(request=request, quote_id=second.pk)
    with pytest.raises(services.QuoteError, match="sudah selesai"):
        send_quote(request, staff)


def test_change_request_needs_a_note(kendari, paving, staff):
    request = make_request(kendari, [(paving, 50)])
    quote = send_quote(request, staff)
    with pytest.raises(services.QuoteError):
        services.quote_request_change(request=request, quote_id=quote.pk, note="  ")


def test_pay_before_quote_makes_an_order_awaiting_payment_with_stock_taken(
    kendari, paving, kanstin, staff
):
    request = make_request(kendari, [(paving, 120), (kanstin, 300)])
    quote = send_quote(request, staff)
    order = services.quote_accept(request=request, quote_id=quote.pk)
    paving.refresh_from_db()
    kanstin.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    assert order.payment_deadline is not None
    assert (order.buyer_organisation, order.buyer_npwp) == (
        "Dinas PUPR Kota Kendari",
        "013121660091000",
    )
    assert order.payment_terms_days is None
    assert order.shipping_fee == 250_000
    assert paving.stock == 500 - 120
    assert kanstin.stock == 0  # made to order: takes no stock
    assert order.checkout.idempotency_key == f"quote-{request.pk}-{quote.pk}-accept"


def test_acceptance_refused_when_stock_ran_out_leaves_no_order(kendari, paving, staff):
    request = make_request(kendari, [(paving, 120)])
    quote = send_quote(request, staff)
    paving.stock = 100
    paving.save()
    with pytest.raises(services.QuoteError, match="Stok"):
        services.quote_accept(request=request, quote_id=quote.pk)
    request.refresh_from_db()
    quote.refresh_from_db()
    assert request.order is None and quote.status == QuoteStatus.SENT


def test_pay_after_delivery_order_is_delivered_first_then_a_receivable_until_paid(
    kendari, paving, staff
):
    request = make_request(kendari, [(paving, 120)])
    quote = send_quote(request, staff, terms=30)
    order = services.quote_accept(request=request, quote_id=quote.pk)
    assert order.status == OrderStatus.PROCESSING
    assert order.payment_terms_days == 30 and order.payment_deadline is None
    order_services.order_ship(order=order, actor=staff, courier="", tracking_number="")
    order_services.order_complete(order=order, actor=staff)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert order.payment_due_date == timezone.localdate() + timedelta(days=30)
    assert order.paid_at is None
    order_services.order_confirm_payment(order=order, actor=staff)
    order.refresh_from_db()
    assert order.paid_at is not None and order.status == OrderStatus.COMPLETED
    with pytest.raises(order_services.OrderError):
        order_services.order_confirm_receivable(order=order, actor=staff)


def test_terms_outside_the_allowed_days_are_refused(kendari, paving, staff, settings):
    request = make_request(kendari, [(paving, 10)])
    with pytest.raises(services.QuoteError, match="Tempo"):
        send_quote(request, staff, terms=settings.QUOTE_MAX_TERMS_DAYS + 1)


def test_declined_request_takes_no_quote(kendari, paving, staff):
    request = make_request(kendari, [(paving, 10)])
    services.request_decline(request=request, actor=staff, note="Kapasitas produksi penuh")
    with pytest.raises(services.QuoteError):
        send_quote(request, staff)


def test_the_buyer_is_mailed_the_quote_with_its_private_link(
    kendari, paving, staff, mailoutbox, django_capture_on_commit_callbacks
):
    request = make_request(kendari, [(paving, 50)])
    with django_capture_on_commit_callbacks(execute=True):
        send_quote(request, staff)
    (mail,) = mailoutbox
    assert mail.to == ["pupr@example.go.id"]
    assert f"/penawaran/{request.token}/" in mail.body


def test_declined_request_cannot_be_accepted(kendari, paving, staff):
    request = make_request(kendari, [(paving, 10)])
    quote = send_quote(request, staff)
    services.request_decline(request=request, actor=staff, note="Kapasitas penuh")
    with pytest.raises(services.QuoteError, match="tidak dapat memenuhi"):
        services.quote_accept(request=request, quote_id=quote.pk)


def test_a_buyer_on_terms_may_pay_before_delivery(kendari, paving, staff):
    request = make_request(kendari, [(paving, 10)])
    order = services.quote_accept(request=request, quote_id=send_quote(request, staff, terms=14).pk)
    order_services.order_confirm_payment(order=order, actor=staff)
    order.refresh_from_db()
    assert order.paid_at is not None and order.status == OrderStatus.PROCESSING
    order_services.order_ship(order=order, actor=staff, courier="", tracking_number="")
    order_services.order_complete(order=order, actor=staff)
    order.refresh_from_db()
    assert order.payment_due_date is None  # paid already: no clock starts
