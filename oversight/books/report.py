"""The gateway's settlement report in the books: every line that did not match
one payment, and every payment paid here on a day the report covers that no
line matched (orders.payments.services.report does the matching)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_rupiah
from orders.payments.models import GatewayReportLine
from orders.payments.models.gateway_report import NEEDS_PERSON
from oversight.books.types import Difference

# What a person does with each kind of report line that waits for one.
_Outcome = GatewayReportLine.Outcome
REPORT_ACTIONS = {
    _Outcome.UNKNOWN_ORDER: gettext_lazy(
        "Cari transaksi %(payment)s di dasbor gateway: bila bukan dari toko ini, laporkan ke "
        "gateway; bila dari toko ini, jalankan rekonsiliasi."
    ),
    _Outcome.AMOUNT_MISMATCH: gettext_lazy(
        "Nominal di gateway berbeda dari pembayaran %(payment)s: periksa di dasbor gateway dan "
        "kembalikan atau tagih selisihnya."
    ),
    _Outcome.NOT_PAID_HERE: gettext_lazy(
        "Pembayaran diterima gateway tetapi pesanan tidak tercatat dibayar — jalankan "
        "rekonsiliasi / periksa pesanan pembayaran %(payment)s."
    ),
    _Outcome.DUPLICATE: gettext_lazy(
        "Dua baris settlement untuk pembayaran %(payment)s: pastikan di dasbor gateway apakah "
        "pembeli membayar dua kali, lalu kembalikan kelebihannya."
    ),
    _Outcome.REFUND_UNRECORDED: gettext_lazy(
        "Gateway mencatat pengembalian dana pada %(payment)s yang tidak ada di buku: catat "
        "pengembalian itu pada pesanannya."
    ),
    _Outcome.PAID_HERE_ONLY: gettext_lazy(
        "Pembayaran %(payment)s tercatat lunas di sini tetapi gateway menyatakan tidak lunas: "
        "tahan setoran ke UPT dan periksa di dasbor gateway."
    ),
    _Outcome.BAD_ROW: gettext_lazy("Baris laporan %(payment)s tidak terbaca: periksa berkasnya."),
}


def check_report(first: date, last: date, payments, add) -> None:
    """The gateway's settlement report: every line that did not match one
    payment, and every payment paid here on a day the report covers that
    no line matched."""
    for line in GatewayReportLine.objects.filter(
        settled_on__gte=first,
        settled_on__lte=last,
        outcome__in=NEEDS_PERSON,
        resolved_at__isnull=True,
    ).order_by("settled_on", "pk"):
        names = {"payment": line.gateway_order_id}
        add(
            Difference(
                day=line.settled_on,
                kind=f"report_{line.outcome}",
                amount=int(line.gross_amount),
                reference=line.gateway_order_id,
                problem=_("Laporan settlement gateway: %(outcome)s (%(status)s, %(amount)s).")
                % {
                    "outcome": line.get_outcome_display(),
                    "status": line.transaction_status,
                    "amount": format_rupiah(int(line.gross_amount)),
                },
                action=REPORT_ACTIONS[line.outcome] % names,
            )
        )
    covered = set(
        GatewayReportLine.objects.filter(settled_on__gte=first, settled_on__lte=last)
        .order_by()  # the model's ordering would make DISTINCT per row
        .values_list("settled_on", flat=True)
        .distinct()
    )
    if not covered:
        return
    matched = set(
        GatewayReportLine.objects.filter(
            payment_id__in=[p.pk for p in payments], outcome=_Outcome.MATCHED
        ).values_list("payment_id", flat=True)
    )
    for payment in payments:
        day = timezone.localdate(payment.paid_at)
        if day in covered and payment.pk not in matched:
            names = {"payment": payment.gateway_order_id}
            add(
                Difference(
                    day=day,
                    kind="not_in_report",
                    amount=payment.amount,
                    reference=payment.gateway_order_id,
                    problem=_(
                        "Pembayaran %(payment)s tercatat lunas di sini tetapi tidak ada di "
                        "laporan settlement gateway hari itu."
                    )
                    % names,
                    action=_(
                        "Cek %(payment)s di dasbor gateway; bila belum settlement, tahan setoran "
                        "ke UPT dan jalankan rekonsiliasi."
                    )
                    % names,
                )
            )
