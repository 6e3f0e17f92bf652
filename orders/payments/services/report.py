"""Importing the gateway's settlement report: each line matched to exactly one
of our payments (or refunds), the rest held for a person, as bank-statement
lines are (orders.payments.services.statements)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.scoping import scope_for
from orders.payments.midtrans import FAILED_STATUSES, PAID_STATUSES
from orders.payments.models import (
    GatewayPayment,
    GatewayRefund,
    GatewayReportImport,
    GatewayReportLine,
)
from orders.payments.report_csv import ReportLine
from orders.services.common import OrderError

Outcome = GatewayReportLine.Outcome
REFUND_STATUSES = frozenset({"refund", "partial_refund"})
# Our refunds the gateway may report as made: sent (or being sent) through it.
# A MANUAL or FAILED refund reported as made by the gateway is money given
# back twice in waiting, so it does not match.
_SENT = (GatewayRefund.Status.DONE, GatewayRefund.Status.PENDING)


def gateway_report_import(*, actor, lines: list[ReportLine], file_name: str) -> GatewayReportImport:
    """Record the settlement report's lines and match each new one.

    A settlement (or capture) line matches the payment with its order ID when
    the gross amount equals the payment's and the payment is paid here; the
    first such line of a payment is MATCHED, another one is a DUPLICATE (the
    database holds one matched line per payment). A refund line matches one
    of the payment's refunds sent through the gateway with the same amount.
    Everything else keeps its outcome for a person. Lines imported before
    (same hash) are skipped, so a second import changes nothing.

    Raises OrderError for anyone but head office: the report covers
    every facility's money.
    """
    if not scope_for(actor).is_national:
        raise OrderError(_("Hanya kantor pusat yang mengimpor laporan settlement."))
    with transaction.atomic():
        report = GatewayReportImport.objects.create(
            uploaded_by=actor, file_name=file_name[:200], lines_read=len(lines)
        )
        GatewayReportLine.objects.bulk_create(
            [
                GatewayReportLine(
                    report=report,
                    line_hash=line.line_hash,
                    gateway_order_id=line.gateway_order_id,
                    transaction_id=line.transaction_id,
                    payment_type=line.payment_type,
                    transaction_status=line.transaction_status,
                    gross_amount=line.gross_amount,
                    fee=line.fee,
                    net_amount=line.net_amount,
                    settled_at=line.settled_at,
                    settled_on=line.settled_on,
                    time_text=line.time_text,
                    outcome=line.problem or Outcome.UNKNOWN_ORDER,
                )
                for line in lines
            ],
            ignore_conflicts=True,
        )
        new_lines = list(GatewayReportLine.objects.filter(report=report).order_by("id"))
        payments = {
            p.gateway_order_id: p
            for p in GatewayPayment.objects.filter(
                gateway_order_id__in={line.gateway_order_id for line in new_lines}
            )
        }
        matched = 0
        for line in new_lines:
            if line.outcome != Outcome.BAD_ROW:
                _match(line, payments.get(line.gateway_order_id))
            matched += line.outcome in (Outcome.MATCHED, Outcome.REFUND_MATCHED)
        report.new_lines = len(new_lines)
        report.matched = matched
        report.save(update_fields=["new_lines", "matched"])
    return report


def _match(line: GatewayReportLine, payment: GatewayPayment | None) -> None:
    status = line.transaction_status
    line.payment = payment
    if status in PAID_STATUSES:
        if payment is None:
            line.outcome = Outcome.UNKNOWN_ORDER
        elif line.gross_amount != payment.amount:
            line.outcome = Outcome.AMOUNT_MISMATCH
        elif payment.status != GatewayPayment.Status.PAID:
            line.outcome = Outcome.NOT_PAID_HERE
        else:
            _save_or(line, Outcome.MATCHED, Outcome.DUPLICATE)
            return
    elif status in REFUND_STATUSES:
        if payment is None:
            line.outcome = Outcome.UNKNOWN_ORDER
        else:
            refund = (
                GatewayRefund.objects.filter(
                    payment=payment, amount=line.gross_amount, status__in=_SENT
                )
                .exclude(report_lines__outcome=Outcome.REFUND_MATCHED)
                .order_by("pk")
                .first()
            )
            if refund is not None:
                line.refund = refund
                _save_or(line, Outcome.REFUND_MATCHED, Outcome.REFUND_UNRECORDED)
                return
            line.outcome = Outcome.REFUND_UNRECORDED
    elif (
        status in FAILED_STATUSES
        and payment is not None
        and payment.status == GatewayPayment.Status.PAID
    ):
        line.outcome = Outcome.PAID_HERE_ONLY
    else:
        # pending, expire of an unpaid charge ...: no money moved.
        line.outcome = Outcome.OTHER_STATUS
    line.save(update_fields=["payment", "refund", "outcome"])


def _save_or(line: GatewayReportLine, outcome: str, otherwise: str) -> None:
    """Save `line` as `outcome`; when the unique constraint says another line
    holds that payment (or refund) already, as `otherwise`."""
    line.outcome = outcome
    try:
        with transaction.atomic():
            line.save(update_fields=["payment", "refund", "outcome"])
    except IntegrityError:
        line.outcome = otherwise
        if otherwise == Outcome.REFUND_UNRECORDED:
            line.refund = None
        line.save(update_fields=["payment", "refund", "outcome"])


def gateway_report_line_resolve(*, line: GatewayReportLine, actor) -> GatewayReportLine:
    """A person has dealt with a line matching could not (e.g. reconciled the
    payment, or recorded the refund): mark it handled.

    Raises OrderError for anyone but head office."""
    if not scope_for(actor).is_national:
        raise OrderError(_("Hanya kantor pusat yang menangani baris laporan settlement."))
    with transaction.atomic():
        GatewayReportLine.objects.filter(pk=line.pk, resolved_at__isnull=True).update(
            resolved_by=actor, resolved_at=timezone.now()
        )
    line.refresh_from_db()
    return line
