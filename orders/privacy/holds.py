"""The one rule for what keeps an order's shopper data: erasure (a shopper's
deletion request) and retention both ask `erasure_holds`, nowhere else.

An ended order is not anonymised while something is still owed on it, because
settling it needs to know who the other party is:
- a transfer receipt not yet checked, or a bank statement line that names the
  order and still waits for a person (money being matched);
- a receivable: an order on payment terms, delivered and not yet paid
  (whether or not it is due yet);
- a refund not yet settled: a gateway refund pending, failed, or waiting for
  a manual transfer;
- whatever an app above orders registers (`register_erasure_hold`): the
  complaints app registers open complaints and refunds they still owe, since
  orders may not import complaints (pyproject's layers contract).

Each hold says why in Indonesian (what the shopper is told: it names only
this order, never another person or a bank description) and, when known, the
date it is expected to clear. The periodic retention run (orders.privacy.retention)
asks again every day and completes a held deletion request once nothing holds.

An order that has not ended is a different answer (`erasure_refusal`): its
contact is needed to deliver it, and the shopper is asked to come back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from orders.models import Order, PaymentProof
from orders.payments.models import GatewayRefund, StatementLine
from orders.privacy.rules import PrivacyError
from orders.states import FINAL, is_receivable


@dataclass(frozen=True)
class ErasureHold:
    """One thing still owed on an order. `kind` is a stable key (reports,
    tests); `reason` is the sentence the shopper and staff read; `until` is
    the day it is expected to clear, None when nobody can say."""

    kind: str
    reason: str
    until: date | None = None


class ErasureHeld(PrivacyError):
    """Anonymisation refused because something is still owed (`holds`)."""

    def __init__(self, holds: list[ErasureHold]):
        self.holds = holds
        super().__init__(holds_text(holds))


HoldCheck = Callable[[Order, datetime], Iterable[ErasureHold]]
_CHECKS: list[HoldCheck] = []


def register_erasure_hold(check: HoldCheck) -> None:
    """An app above orders says what it still needs an order's shopper for:
    `check(order, now)` yields ErasureHold rows. Called from AppConfig.ready();
    registering the same function twice (a test reloading apps) adds it once."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def erasure_refusal(order: Order) -> str | None:
    """Why a deletion request for a running order is refused now, or None.
    A running order needs its contact to be delivered and paid; its end is
    not a date anyone can promise, so the shopper is asked to come back."""
    if order.status in FINAL:
        return None
    return _(
        "Pesanan %(code)s masih berjalan (%(status)s): nama, nomor HP dan alamat masih "
        "dibutuhkan untuk menyelesaikannya. Ajukan lagi setelah pesanan selesai atau batal."
    ) % {"code": order.code, "status": order.get_status_display()}


def erasure_holds(order: Order, *, now: datetime | None = None) -> list[ErasureHold]:
    """Everything still owed on `order` (empty: it may be anonymised)."""
    now = now or timezone.now()
    holds = list(_own_holds(order, now))
    for check in _CHECKS:
        holds.extend(check(order, now))
    return holds


def holds_until(holds: list[ErasureHold]) -> date | None:
    """The day every hold is expected to have cleared; None when one of them
    has no date (or there are none)."""
    if not holds or any(h.until is None for h in holds):
        return None
    return max(h.until for h in holds)


def holds_text(holds: list[ErasureHold]) -> str:
    return " ".join(h.reason for h in holds)


def day_text(day: date) -> str:
    return date_format(day, "j F Y")


def _own_holds(order: Order, now: datetime) -> Iterable[ErasureHold]:
    if PaymentProof.objects.filter(order=order, status=PaymentProof.Status.PENDING).exists():
        yield ErasureHold(
            "receipt",
            _("Bukti transfer pesanan %(code)s belum diperiksa UPT.") % {"code": order.code},
        )
    # A line linked to the order, or one whose description names its code
    # (two codes in one transfer: the matcher links neither).
    waiting_lines = StatementLine.objects.filter(
        Q(order=order) | Q(facility_id=order.facility_id, description__icontains=order.code),
        resolved_at__isnull=True,
    ).exclude(outcome=StatementLine.Outcome.CONFIRMED)
    if waiting_lines.exists():
        yield ErasureHold(
            "statement",
            _("Ada mutasi rekening untuk pesanan %(code)s yang masih dicocokkan UPT.")
            % {"code": order.code},
        )
    if is_receivable(order.status, order.payment_terms_days, order.paid_at):
        due = order.payment_due_date
        if due is not None and due >= timezone.localdate(now):
            yield ErasureHold(
                "receivable",
                _("Pembayaran tempo pesanan %(code)s jatuh tempo %(due)s dan belum diterima.")
                % {"code": order.code, "due": day_text(due)},
                until=due,
            )
        else:
            yield ErasureHold(
                "receivable",
                _("Pembayaran tempo pesanan %(code)s belum diterima.") % {"code": order.code},
            )
    unsettled = GatewayRefund.objects.filter(
        order=order,
        status__in=[
            GatewayRefund.Status.PENDING,
            GatewayRefund.Status.FAILED,
            GatewayRefund.Status.MANUAL,
        ],
    )
    if unsettled.exists():
        yield ErasureHold(
            "refund",
            _("Pengembalian dana pesanan %(code)s belum tuntas.") % {"code": order.code},
        )
