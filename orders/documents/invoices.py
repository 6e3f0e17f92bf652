"""Invoices: when an order is billed, and the gapless number it gets.

WHEN (the one rule, `invoice_due`): an order gets its invoice when the
facility has earned the money —
- paid before the goods leave (transfer, online gateway): when the payment is
  confirmed (awaiting_payment -> paid), so the invoice says LUNAS;
- pay at pickup: when it is handed over (completed), paid at the counter;
- on terms (`payment_terms_days` set, institutional buyers): when the goods
  leave (shipped, or ready for pickup), since the terms run from delivery and
  the invoice travels with the delivery note;
- never for an order cancelled or expired before that.
Every status move calls `invoice_issue_if_due` inside its own transaction
(orders.services.steps._move), and the document pages call it too, which
catches up orders that became due before invoices existed. Issuing is
idempotent: a second call returns the invoice already issued.

An invoice, once issued, is never deleted or renumbered: an order cancelled
after it was invoiced keeps its number and its document says DIBATALKAN.

HOW the number is taken (`_take_sequence`): the (facility, year) counter row
is created if missing (INSERT ... ON CONFLICT DO NOTHING) and then locked
(SELECT ... FOR UPDATE) in the transaction that creates the invoice. Another
issue for the same facility waits for that transaction to end, so numbers are
handed out one at a time; a rollback undoes the counter with the invoice, so
no number is lost. The year is the facility's own (WIB/WITA/WIT) calendar
year: the counter starts again at 1 each year.

Lock order, to stay clear of deadlocks: the order row first, the counter last.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from facilities.models import BankAccount, Facility
from orders.documents.models import Invoice, InvoiceNumberCounter
from orders.models import Order, OrderStatus, PaymentMethod

S = OrderStatus
# Paid before anything leaves: confirmed payment, then the goods.
_PAID_BEFORE = frozenset({S.PAID, S.PROCESSING, S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED})
# The goods have left (or wait at the showroom for the buyer).
_GOODS_OUT = frozenset({S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED})


def invoice_due(order: Order) -> bool:
    """Whether `order` is billed by now (see the module docstring)."""
    if order.payment_terms_days is not None:
        return order.status in _GOODS_OUT
    if order.payment_method == PaymentMethod.PAY_AT_PICKUP:
        return order.status == S.COMPLETED
    return order.status in _PAID_BEFORE


def delivery_note_available(order: Order) -> bool:
    """A delivery note (surat jalan) is printed while packing and goes with
    the goods: from processing on, never for an order that was called off."""
    return order.status in (S.PROCESSING, S.SHIPPED, S.READY_FOR_PICKUP, S.COMPLETED)


def local_date(facility: Facility, moment: datetime):
    return timezone.localtime(moment, ZoneInfo(facility.timezone)).date()


def invoice_number(facility_id: int, year: int, sequence: int) -> str:
    """INV/<facility id>/<year>/<00001>: facilities have no shorter code, and
    the id never changes when a facility is renamed."""
    return f"INV/{facility_id}/{year}/{sequence:05d}"


def _lock_counter(facility_id: int, year: int) -> InvoiceNumberCounter:
    """The (facility, year) counter, created if missing, locked until commit."""
    InvoiceNumberCounter.objects.bulk_create(
        [InvoiceNumberCounter(facility_id=facility_id, year=year, last_number=0)],
        ignore_conflicts=True,
    )
    return InvoiceNumberCounter.objects.select_for_update().get(facility_id=facility_id, year=year)


def _take_sequence(facility_id: int, year: int) -> int:
    counter = _lock_counter(facility_id, year)
    taken = counter.last_number + 1
    InvoiceNumberCounter.objects.filter(pk=counter.pk).update(last_number=taken)
    return taken


def _seller(facility: Facility) -> dict:
    address = ", ".join(p for p in [facility.address, facility.city, facility.province] if p)
    accounts = BankAccount.objects.filter(facility=facility, is_active=True).order_by("pk")
    return {
        "seller_name": facility.name,
        "seller_address": address[:400],
        "seller_phone": facility.phone or "",
        "seller_email": facility.email or "",
        "seller_bank_accounts": [
            {
                "bank_name": a.bank_name,
                "account_number": a.account_number,
                "account_holder": a.account_holder,
            }
            for a in accounts
        ],
    }


def _lines(order: Order) -> list[dict]:
    return [
        {
            "name": line.product_name,
            "unit": line.product.unit,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "line_total": line.line_total,
        }
        for line in order.lines.select_related("product").order_by("pk")
    ]


def invoice_issue_if_due(*, order: Order, now: datetime | None = None) -> Invoice | None:
    """The order's invoice: the one already issued, or a new one with the next
    number when `invoice_due` says the order is billed; None otherwise.

    Idempotent and safe to call concurrently: the order row is locked first,
    so two calls for one order issue one invoice and take one number.
    """
    if not invoice_due(order):
        # Most status moves bill nothing: no lock for them. (A caller's stale
        # copy that looks unbilled only delays the catch-up to the next call.)
        return Invoice.objects.filter(order_id=order.pk).first()
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        existing = Invoice.objects.filter(order_id=locked.pk).first()
        if existing is not None or not invoice_due(locked):
            return existing
        facility = Facility.objects.get(pk=locked.facility_id)
        now = now or timezone.now()
        issued_on = local_date(facility, now)
        sequence = _take_sequence(facility.pk, issued_on.year)
        return Invoice.objects.create(
            order=locked,
            facility=facility,
            year=issued_on.year,
            sequence=sequence,
            number=invoice_number(facility.pk, issued_on.year, sequence),
            issued_at=now,
            issued_on=issued_on,
            **_seller(facility),
            buyer_name=locked.contact_name,
            buyer_organisation=locked.buyer_organisation,
            buyer_npwp=locked.buyer_npwp,
            buyer_address=locked.address_line if locked.is_delivery else "",
            lines=_lines(locked),
            subtotal=locked.subtotal,
            shipping_fee=locked.shipping_fee,
            total=locked.total,
            delivery_method=locked.delivery_method,
            payment_method=locked.payment_method,
            payment_terms_days=locked.payment_terms_days,
        )


def invoice_erase_buyer(*, order: Order, anonymous_name: str) -> int:
    """Blank the shopper's personal data on the order's invoice, as the order's
    erasure does on the order (called from orders.privacy.order_anonymise).

    What stays, for INVOICE_KEEP_YEARS (UU KUP art. 28(11): the documents
    behind the books are kept ten years): the number, dates, lines, amounts,
    delivery and payment method, terms, the seller, and, where the buyer is an
    institution (buyer_organisation set), its name and NPWP: those identify
    the taxpayer the sale was made to, not a person, and a tax audit asks for
    them. The contact person's name and the delivery address go: the books do
    not need them. An NPWP without an institution is a person's own (the NIK
    since 2024) and goes too.
    """
    invoices = Invoice.objects.filter(order_id=order.pk)
    changed = invoices.update(buyer_name=anonymous_name, buyer_address="")
    invoices.filter(buyer_organisation="").update(buyer_npwp="")
    return changed


# UU KUP art. 28(11): ten years. Counted from the end of the (calendar = tax)
# year the invoice was issued in, so a whole year's books end together.
INVOICE_KEEP_YEARS = 10


def invoice_keep_until(issued_on: date) -> date:
    """The first day an invoice issued on `issued_on` need no longer be kept."""
    return date(issued_on.year + INVOICE_KEEP_YEARS + 1, 1, 1)


def invoices_kept_too_long(*, today: date):
    """Invoices past their keeping period whose order's shopper data is already
    erased and that still name a buyer: what retention anonymises."""
    return (
        Invoice.objects.filter(
            year__lt=today.year - INVOICE_KEEP_YEARS, order__erasure__isnull=False
        )
        .exclude(buyer_npwp="", buyer_organisation="", buyer_address="")
        .order_by("pk")
    )


def invoices_expire_buyer(*, today: date) -> int:
    """After the keeping period the invoice's buyer identity goes as well
    (institution name and NPWP, on the invoice and the order's NPWP); the
    number, lines and amounts stay as anonymous sales figures. Returns how
    many invoices changed. Never deletes an invoice: the number sequence has
    no gaps, and the order row points at it.

    `year` is the issue year in the facility's own calendar (issued_on.year),
    so `year < today.year - 10` is exactly invoice_keep_until(issued_on) <= today.
    """
    with transaction.atomic():
        expired = list(invoices_kept_too_long(today=today).values_list("pk", "order_id"))
        Invoice.objects.filter(pk__in=[pk for pk, _ in expired]).update(
            buyer_organisation="", buyer_npwp="", buyer_address=""
        )
        Order.objects.filter(pk__in=[order_id for _, order_id in expired]).update(buyer_npwp="")
    return len(expired)
