"""Erasure and retention respect what is owed (issue 29, finding 6).

Each kind of debt (an open complaint, an unpaid terms order not yet due, an
unsettled gateway refund, an unmatched bank statement line naming the order)
holds the order against both paths that anonymise (a shopper's deletion
request handled by staff, and apply_retention); each test then settles the
debt and shows the same order IS anonymised, so a hold that never lets go, or
a setup that would never have been anonymised anyway, fails. A control runs
the old path (the rule switched off) and shows the harm the issue reported.
"""

import io
import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from complaints import services as complaint_services
from complaints.models import Complaint, ComplaintReason, Remedy
from complaints.workdays import add_working_days
from orders import privacy, services
from orders.documents.invoices import invoice_keep_until
from orders.documents.models import Invoice
from orders.models import Order
from orders.payments.models import GatewayPayment, GatewayRefund, StatementImport, StatementLine
from orders.payments.services.statements import statement_line_resolve
from orders.privacy import erasure as erasure_module
from orders.privacy.models import OrderErasure, PrivacyRequest
from orders.privacy.retention import retention_apply
from tests.factories import facility_staff
from tests.orders.factories import CONTACT, place
from tests.orders.test_privacy import _completed_courier_order, _track, msgs

pytestmark = pytest.mark.django_db

NPWP = "0123456789012345"


def _completed_pickup(product, *, staff):
    order = place([(product, 1)]).orders[0]
    services.order_confirm_payment(order=order, actor=staff)
    services.order_start_processing(order=order, actor=staff)
    services.order_ready_for_pickup(order=order, actor=staff)
    services.order_complete(order=order, actor=staff)
    order.refresh_from_db()
    return order


def _terms_order(product, *, staff, days=30, organisation="Dinas Sosial Kota Uji"):
    """An institution's order on `days`-day terms, delivered (completed) and unpaid."""
    order = services.order_place_agreed(
        idempotency_key=uuid.uuid4().hex,
        contact=CONTACT,
        address=services.Address(province="DKI Jakarta", city="Jakarta", street="Jl. Uji 1"),
        agreement=services.Agreement(
            facility_id=product.facility_id,
            lines=[services.AgreedLine(product_id=product.pk, quantity=2, unit_price=100_000)],
            delivery_method="pickup",
            shipping_fee=0,
            payment_terms_days=days,
            payment_deadline=None,
            buyer_organisation=organisation,
            buyer_npwp=NPWP,
        ),
    )
    services.order_ready_for_pickup(order=order, actor=staff)
    services.order_complete(order=order, actor=staff)
    order.refresh_from_db()
    assert order.payment_due_date == timezone.localdate() + timedelta(days=days)
    return order


# --- one setup per debt: (order, settle) --------------------------------------------


def _with_open_complaint(product, staff):
    order = _completed_pickup(product, staff=staff)
    complaint = complaint_services.complaint_open(
        order=order,
        line_ids=[order.lines.first().pk],
        reason=ComplaintReason.DAMAGED,
        description="Jahitan lepas.",
        remedy=Remedy.REPLACEMENT,
    )

    def settle():
        complaint_services.complaint_answer(
            complaint=complaint, actor=staff, kind="accept", note="Kami ganti."
        )
        complaint_services.complaint_accept_answer(complaint=complaint)

    return order, settle


def _with_unpaid_terms(product, staff):
    order = _terms_order(product, staff=staff)

    def settle():
        services.order_confirm_receivable(order=order, actor=staff)

    return order, settle


def _with_unsettled_refund(status):
    def setup(product, staff):
        order = _completed_pickup(product, staff=staff)
        payment = GatewayPayment.objects.create(
            checkout=order.checkout,
            gateway_order_id=f"KB-{order.code}-1",
            channel="bca_va",
            amount=order.total,
            status=GatewayPayment.Status.PAID,
        )
        refund = GatewayRefund.objects.create(
            payment=payment,
            order=order,
            amount=order.total,
            refund_key=f"r-{order.code}",
            reason="Dibatalkan setelah dibayar",
            status=status,
        )

        def settle():
            GatewayRefund.objects.filter(pk=refund.pk).update(
                status=GatewayRefund.Status.DONE, done_at=timezone.now()
            )

        return order, settle

    return setup


def _statement_line(order, *, linked: bool, description: str):
    statement = StatementImport.objects.create(
        facility=order.facility, file_name="mutasi.csv", layout="bca"
    )
    return StatementLine.objects.create(
        statement=statement,
        facility=order.facility,
        line_hash=uuid.uuid4().hex,
        booked_on=timezone.localdate(),
        description=description,
        amount=order.total + 1,
        order=order if linked else None,
        outcome=StatementLine.Outcome.AMOUNT_MISMATCH
        if linked
        else StatementLine.Outcome.AMBIGUOUS,
    )


def _with_statement_line(linked):
    def setup(product, staff):
        order = _completed_pickup(product, staff=staff)
        line = _statement_line(
            order, linked=linked, description=f"TRF DARI BUDI SANTOSO {order.code} KB-ZZZZZZ"
        )

        def settle():
            statement_line_resolve(line=line, actor=staff)

        return order, settle

    return setup


DEBTS = {
    "open_complaint": (_with_open_complaint, "complaint"),
    "unpaid_terms_not_due": (_with_unpaid_terms, "receivable"),
    "refund_pending": (_with_unsettled_refund(GatewayRefund.Status.PENDING), "refund"),
    "refund_failed": (_with_unsettled_refund(GatewayRefund.Status.FAILED), "refund"),
    "refund_manual": (_with_unsettled_refund(GatewayRefund.Status.MANUAL), "refund"),
    "statement_line_linked": (_with_statement_line(True), "statement"),
    "statement_line_naming_it": (_with_statement_line(False), "statement"),
}


@pytest.mark.parametrize("debt", list(DEBTS))
def test_retention_holds_the_order_until_the_debt_is_settled(mukena, settings, debt):
    settings.PRIVACY_RETENTION_DAYS = 0
    setup, kind = DEBTS[debt]
    staff = facility_staff(mukena.facility)
    order, settle = setup(mukena, staff)

    held = retention_apply()
    assert held.anonymised == 0
    assert [code for code, _ in held.held] == [order.code]
    assert held.held_kinds == {kind: 1}
    assert Order.objects.get(pk=order.pk).contact_name == CONTACT.name

    settle()
    # The control: the same order, debt settled, is anonymised by the same run.
    done = retention_apply()
    assert (done.anonymised, done.held) == (1, [])
    assert Order.objects.get(pk=order.pk).contact_name == privacy.ANONYMOUS_NAME


@pytest.mark.parametrize("debt", list(DEBTS))
def test_a_deletion_request_waits_for_the_debt_and_completes_by_itself(
    mukena, debt, django_capture_on_commit_callbacks
):
    setup, kind = DEBTS[debt]
    staff = facility_staff(mukena.facility)
    order, settle = setup(mukena, staff)
    # Made before the debt was known to staff: the request waits for them...
    request = PrivacyRequest.objects.create(
        order=order,
        kind=PrivacyRequest.Kind.DELETION,
        status=PrivacyRequest.Status.OPEN,
        due_at=timezone.now() + timedelta(hours=72),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answered = privacy.privacy_request_fulfil(request=request, actor=staff)
    # ...who cannot anonymise it: the request is held with the reason, not refused.
    assert answered.status == PrivacyRequest.Status.HELD
    assert order.code in answered.held_reason and answered.refusal_reason == ""
    assert Order.objects.get(pk=order.pk).contact_name == CONTACT.name
    assert not OrderErasure.objects.filter(order=order).exists()
    told = [m for m in mail.outbox if m.to == [CONTACT.email]]
    assert len(told) == 1 and "ditunda" in told[0].subject
    assert answered.held_reason in told[0].body
    # A new request from the shopper returns the held one.
    assert privacy.privacy_deletion_request(order=order).pk == request.pk

    # The daily run asks again: still owed, still held.
    assert retention_apply(sessions=False).requests_held == 1
    settle()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = retention_apply(sessions=False)
    assert (report.requests_done, report.requests_held) == (1, 0)
    request.refresh_from_db()
    assert request.status == PrivacyRequest.Status.DONE
    erasure = OrderErasure.objects.get(order=order)
    assert erasure.reason == OrderErasure.Reason.REQUEST
    assert Order.objects.get(pk=order.pk).contact_phone == ""
    # The shopper hears it is done, at the address read before it was erased.
    done = [m for m in mail.outbox if m.to == [CONTACT.email]]
    assert len(done) == 1 and "sudah dihapus" in done[0].subject


@pytest.mark.parametrize("debt", ["open_complaint", "unpaid_terms_not_due", "refund_manual"])
def test_control_without_the_rule_the_old_paths_anonymise_what_is_owed(
    mukena, settings, monkeypatch, debt
):
    """The harm of the issue, reproduced with the rule switched off: both the
    staff-handled request and retention anonymise an order still owed on."""
    settings.PRIVACY_RETENTION_DAYS = 0
    setup, _kind = DEBTS[debt]
    staff = facility_staff(mukena.facility)
    by_request, _ = setup(mukena, staff)
    by_retention, _ = setup(mukena, staff)
    monkeypatch.setattr(erasure_module, "erasure_holds", lambda order, now=None: [])
    request = PrivacyRequest.objects.create(
        order=by_request,
        kind=PrivacyRequest.Kind.DELETION,
        status=PrivacyRequest.Status.OPEN,
        due_at=timezone.now() + timedelta(hours=72),
    )
    assert privacy.privacy_request_fulfil(request=request, actor=staff).status == "done"
    assert retention_apply().anonymised == 1
    for order in (by_request, by_retention):
        assert Order.objects.get(pk=order.pk).contact_name == privacy.ANONYMOUS_NAME


def test_shopper_page_says_what_the_request_waits_for_and_when(client, mukena, settings):
    settings.PRIVACY_OTP_BY_EMAIL = False
    staff = facility_staff(mukena.facility)
    order = _terms_order(mukena, staff=staff)
    # Another person's transfer names this order too: its words never show.
    _statement_line(order, linked=False, description=f"TRF DARI BUDI SANTOSO {order.code}")
    with translation.override("id"):
        due = date_format(order.payment_due_date, "j F Y")
    _track(client, order, phone="081234567890")
    page = client.get(f"/lacak/{order.code}/data-pribadi/").content.decode()
    assert "belum tuntas" in page and due in page  # before asking, too

    response = client.post(f"/lacak/{order.code}/data-pribadi/hapus/")
    told = msgs(response)
    assert "ditunda" in told and "jatuh tempo" in told and "dicocokkan" in told
    request = PrivacyRequest.objects.get()
    assert request.status == PrivacyRequest.Status.HELD
    # Two holds, one with no date: the request has no promised day yet.
    assert request.held_until is None
    page = client.get(f"/lacak/{order.code}/data-pribadi/").content.decode()
    assert "Ditunda sampai urusan pesanan tuntas" in page
    assert "jatuh tempo " + due in page
    assert "BUDI" not in page and "BUDI" not in told
    assert Order.objects.get(pk=order.pk).contact_name == CONTACT.name

    # Once the line is handled only the due date is left: the page names it.
    StatementLine.objects.update(resolved_at=timezone.now())
    assert retention_apply(sessions=False).requests_held == 1
    request.refresh_from_db()
    assert request.held_until == order.payment_due_date
    page = client.get(f"/lacak/{order.code}/data-pribadi/").content.decode()
    assert f"perkiraan {due}" in page


def test_staff_see_the_held_reasons_in_the_admin(client, mukena):
    staff = facility_staff(mukena.facility)
    order, _settle = _with_open_complaint(mukena, staff)
    request = privacy.privacy_deletion_request(order=order)
    assert request.status == PrivacyRequest.Status.HELD
    # The expected day: the facility's deadline, then the shopper's 5 working days.
    complaint = Complaint.objects.get(order=order)
    expected = timezone.localdate(add_working_days(complaint.answer_due_at, 5))
    assert request.held_until == expected
    client.force_login(staff)
    listing = client.get("/admin/orders/privacyrequest/?tenggat=ditunda").content.decode()
    assert order.code in listing
    page = client.get(f"/admin/orders/privacyrequest/{request.pk}/change/").content.decode()
    assert "Keluhan #" in page and "masih berjalan" in page


# --- invoices: ten years ------------------------------------------------------------


def test_invoice_keeps_its_bookkeeping_fields_when_the_buyer_is_anonymised(mukena, settings):
    settings.PRIVACY_RETENTION_DAYS = 0
    staff = facility_staff(mukena.facility)
    institution = _terms_order(mukena, staff=staff)
    services.order_confirm_receivable(order=institution, actor=staff)
    retail, _proof = _completed_courier_order(mukena, staff=staff)
    # A retail buyer's own NPWP (no institution): a person's number.
    Invoice.objects.filter(order=retail).update(buyer_npwp=NPWP)
    Order.objects.filter(pk=retail.pk).update(buyer_npwp=NPWP)
    bookkeeping = [
        "number",
        "year",
        "sequence",
        "issued_at",
        "issued_on",
        "seller_name",
        "lines",
        "subtotal",
        "shipping_fee",
        "total",
        "payment_method",
        "payment_terms_days",
    ]
    before = {
        i.order_id: {name: getattr(i, name) for name in bookkeeping} for i in Invoice.objects.all()
    }
    assert len(before) == 2 and Invoice.objects.get(order=retail).buyer_address

    assert retention_apply(sessions=False).anonymised == 2

    for invoice in Invoice.objects.all():
        assert {name: getattr(invoice, name) for name in bookkeeping} == before[invoice.order_id]
        assert invoice.buyer_name == privacy.ANONYMOUS_NAME and invoice.buyer_address == ""
    kept = Invoice.objects.get(order=institution)
    assert (kept.buyer_organisation, kept.buyer_npwp) == ("Dinas Sosial Kota Uji", NPWP)
    assert Invoice.objects.get(order=retail).buyer_npwp == ""
    assert Order.objects.get(pk=retail.pk).buyer_npwp == ""

    # Ten years after the end of the issue year, and not a day before, the
    # institution's identity goes too; the number and amounts never do.
    keep_until = invoice_keep_until(kept.issued_on)
    assert keep_until == date(kept.issued_on.year + 11, 1, 1)
    day_before = timezone.make_aware(timezone.datetime(keep_until.year - 1, 12, 31, 12))
    assert retention_apply(now=day_before, sessions=False).invoices_expired == 0
    on_the_day = timezone.make_aware(timezone.datetime(keep_until.year, 1, 1, 12))
    assert retention_apply(now=on_the_day, sessions=False).invoices_expired == 1
    kept.refresh_from_db()
    assert (kept.buyer_organisation, kept.buyer_npwp) == ("", "")
    assert {name: getattr(kept, name) for name in bookkeeping} == before[institution.pk]
    assert Order.objects.get(pk=institution.pk).buyer_npwp == ""
    assert retention_apply(now=on_the_day, sessions=False).invoices_expired == 0


# --- the issue's figure -------------------------------------------------------------


def _seed_the_issue(mukena, staff):
    """30 ended orders: 9 with an open complaint, 1 unpaid on 30-day terms not
    yet due, 1 with a refund waiting for a manual transfer, 1 named by an
    unmatched statement line, 18 owing nothing."""
    held = []
    for _ in range(9):
        held.append(_with_open_complaint(mukena, staff)[0])
    held.append(_with_unpaid_terms(mukena, staff)[0])
    held.append(_with_unsettled_refund(GatewayRefund.Status.MANUAL)(mukena, staff)[0])
    held.append(_with_statement_line(True)(mukena, staff)[0])
    free = [_completed_pickup(mukena, staff=staff) for _ in range(18)]
    return held, free


def test_the_issue_figure_with_and_without_the_rule(mukena, settings, monkeypatch):
    settings.PRIVACY_RETENTION_DAYS = 0
    type(mukena).objects.filter(pk=mukena.pk).update(stock=1_000)
    staff = facility_staff(mukena.facility)
    held, free = _seed_the_issue(mukena, staff)
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    summary = out.getvalue()
    assert "18 order(s) anonymised" in summary
    assert (
        "12 order(s) kept while something is owed "
        "(complaint: 9, receivable: 1, refund: 1, statement: 1)"
    ) in summary
    assert not Order.objects.filter(pk__in=[o.pk for o in held], erasure__isnull=False).exists()
    assert Order.objects.filter(pk__in=[o.pk for o in free], erasure__isnull=False).count() == 18

    # The control: the same seed without the rule, as before the fix.
    monkeypatch.setattr(erasure_module, "erasure_holds", lambda order, now=None: [])
    assert retention_apply(sessions=False).anonymised == 12
    assert Complaint.objects.filter(order__erasure__isnull=False).count() == 9


def test_the_periodic_task_completes_a_held_request(mukena):
    """orders.tasks.retention_run is what the queue's daily schedule runs: a
    held request must not depend on anyone remembering it."""
    from orders import tasks

    staff = facility_staff(mukena.facility)
    order, settle = _with_unpaid_terms(mukena, staff)
    request = privacy.privacy_deletion_request(order=order)
    assert request.status == PrivacyRequest.Status.HELD
    assert request.held_until == order.payment_due_date
    tasks.retention_run.enqueue()
    assert PrivacyRequest.objects.get(pk=request.pk).status == PrivacyRequest.Status.HELD
    settle()
    tasks.retention_run.enqueue()
    assert PrivacyRequest.objects.get(pk=request.pk).status == PrivacyRequest.Status.DONE
    assert Order.objects.get(pk=order.pk).contact_name == privacy.ANONYMOUS_NAME
