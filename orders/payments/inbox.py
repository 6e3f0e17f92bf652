"""Money waiting for a person, in the officer's inbox (facilities.inbox):
refunds the gateway cannot make (virtual accounts) or that failed, for the
facility's staff and head office (GatewayRefundAdmin lets both record the
transfer); lines of the gateway's settlement report that match nothing here,
for head office alone (issue 29). Neither has a deadline in any rule yet, so
none is shown as late."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah
from facilities.inbox import FACILITY, NATIONAL, InboxItem, register_source
from orders.payments.models.gateway import GatewayRefund
from orders.payments.models.gateway_report import NEEDS_PERSON, GatewayReportLine

REFUNDS = _("Dana pembeli menunggu dikembalikan")
REPORT_LINES = _("Laporan settlement gateway tidak cocok")
HELD = (GatewayRefund.Status.MANUAL, GatewayRefund.Status.FAILED)


def _refund_rows(now):
    return (
        GatewayRefund.objects.filter(status__in=HELD)
        .select_related("order__facility")
        .order_by("created_at", "id")
    )


def _refund_item(refund, now) -> InboxItem:
    return InboxItem(
        kind="refunds_held",
        kind_label=str(REFUNDS),
        title=f"{refund.order.code} · {format_rupiah(refund.amount)}",
        url=reverse("admin:orders_gatewayrefund_change", args=[refund.pk]),
        deadline=None,
        overdue=False,
        facility=refund.order.facility,
        detail=refund.get_status_display(),
    )


def _line_rows(now):
    return GatewayReportLine.objects.filter(
        outcome__in=NEEDS_PERSON, resolved_at__isnull=True
    ).order_by("id")


def _line_item(line, now) -> InboxItem:
    return InboxItem(
        kind="settlement_lines",
        kind_label=str(REPORT_LINES),
        title=f"{line.gateway_order_id or '—'} · {line.get_outcome_display()}",
        url=reverse("admin:orders_gatewayreportline_change", args=[line.pk]),
        deadline=None,
        overdue=False,
    )


def register() -> None:
    register_source(
        "refunds_held",
        label=REFUNDS,
        rows=_refund_rows,
        late=None,
        item=_refund_item,
        workers={FACILITY, NATIONAL},
        facility_path="order__facility",
        perm="orders.view_gatewayrefund",
        position=25,
    )
    register_source(
        "settlement_lines",
        label=REPORT_LINES,
        rows=_line_rows,
        late=None,
        item=_line_item,
        workers={NATIONAL},
        facility_path=None,  # head office alone (its admin checks the same)
        position=90,
    )
