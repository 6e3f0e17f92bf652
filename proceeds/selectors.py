"""Reads of the proceeds ledger: per facility and month, sales, what they owe
by the facility's shares, what was paid, and whether the month balances.

A closed month reads the figures it was closed on (LedgerMonth.closed_figures):
a late refund or a channel's correction never changes a closed month.
Bapas clients' enterprises are outside the ledger (their money is the
client's), so they never appear here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet, Sum

from facilities.models import Facility, ProceedsShare
from facilities.scoping import Scope
from proceeds import rules
from proceeds.models import LedgerEntry, LedgerMonth, ProgrammeMonth, WorkProgramme
from proceeds.sales import MonthSales, ShareDue, due_by_kind, sales_by_facility_month, shares_due


@dataclass
class LedgerRow:
    facility_id: int
    facility: str
    region: str
    month: date
    sales: MonthSales
    shares: list[ShareDue]
    due: dict[str, int]
    paid: dict[str, int]
    ledger: LedgerMonth | None = None
    entries: list[LedgerEntry] = field(default_factory=list)

    @property
    def due_total(self) -> int:
        return sum(self.due.values())

    @property
    def paid_total(self) -> int:
        return sum(self.paid.values())

    @property
    def difference(self) -> int:
        return self.paid_total - self.due_total

    @property
    def differences(self) -> dict[str, int]:
        return {kind: self.paid[kind] - self.due[kind] for kind in rules.KINDS}

    @property
    def balanced(self) -> bool:
        """Every kind paid exactly as due (premi, PNBP, materials, others)."""
        return not any(self.differences.values())

    @property
    def is_closed(self) -> bool:
        return self.ledger is not None and self.ledger.is_closed

    @property
    def kinds(self) -> list[tuple[str, str, int, int, int]]:
        """(kind, label, due, paid, difference) for the templates."""
        return [
            (kind, rules.KIND_LABELS[kind], self.due[kind], self.paid[kind], self.differences[kind])
            for kind in rules.KINDS
        ]


def ledger_facilities(scope: Scope) -> QuerySet[Facility]:
    """The facilities whose ledger this scope reads: enterprises never."""
    return scope.facilities().exclude(kind=Facility.Kind.ENTERPRISE)


def _from_snapshot(figures: dict) -> tuple[MonthSales, list[ShareDue], dict, dict]:
    sales = MonthSales(**figures.get("sales", {}))
    shares = [ShareDue(**line) for line in figures.get("shares", [])]
    return sales, shares, figures.get("due", {}), figures.get("paid", {})


def snapshot(row: LedgerRow) -> dict:
    """What a close keeps of a row (JSON)."""
    return {
        "sales": {
            "web": row.sales.web,
            "institutional": row.sales.institutional,
            "consignment": row.sales.consignment,
            "channels": row.sales.channels,
            "transactions": row.sales.transactions,
        },
        "shares": [
            {"name": s.name, "kind": s.kind, "percent": str(s.percent), "amount": s.amount}
            for s in row.shares
        ],
        "due": row.due,
        "paid": row.paid,
    }


def ledger_rows(
    scope: Scope, *, first: date, last: date, facility_id: int | None = None
) -> list[LedgerRow]:
    """Every facility-month in scope and period with sales or a ledger month.

    A constant number of queries: facilities, ledger months, paid sums per
    month and kind, shares, and the sales (two plus one per channel).
    """
    facilities = ledger_facilities(scope)
    if facility_id is not None:
        facilities = facilities.filter(pk=facility_id)
    names = {
        pk: (name, region)
        for pk, name, region in facilities.values_list("id", "name", "region__name")
    }
    if not names:
        return []
    sales = sales_by_facility_month(first, last, names)
    months = {
        (m.facility_id, m.month): m
        for m in LedgerMonth.objects.filter(
            facility_id__in=names, month__gte=first, month__lte=last
        ).select_related("closed_by")
    }
    paid: dict[int, dict[str, int]] = {}
    for item in (
        LedgerEntry.objects.filter(ledger__in=[m.pk for m in months.values()])
        .values("ledger_id", "kind")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid.setdefault(item["ledger_id"], {})[item["kind"]] = int(item["total"] or 0)
    shares: dict[int, list[ProceedsShare]] = {}
    for share in ProceedsShare.objects.filter(facility_id__in=names).order_by(
        "facility_id", "position", "id"
    ):
        shares.setdefault(share.facility_id, []).append(share)
    rows = []
    for key in set(sales) | set(months):
        fid, month = key
        if fid not in names:
            continue
        ledger = months.get(key)
        if ledger is not None and ledger.is_closed:
            month_sales, lines, due, paid_kinds = _from_snapshot(ledger.closed_figures)
        else:
            month_sales = sales.get(key, MonthSales())
            lines = shares_due(month_sales.total, shares.get(fid, []))
            due = due_by_kind(lines)
            paid_kinds = dict.fromkeys(rules.KINDS, 0)
            if ledger is not None:
                paid_kinds.update(paid.get(ledger.pk, {}))
        rows.append(
            LedgerRow(
                facility_id=fid,
                facility=names[fid][0],
                region=names[fid][1],
                month=month,
                sales=month_sales,
                shares=lines,
                due={kind: int(due.get(kind, 0)) for kind in rules.KINDS},
                paid={kind: int(paid_kinds.get(kind, 0)) for kind in rules.KINDS},
                ledger=ledger,
            )
        )
    rows.sort(key=lambda row: (row.region, row.facility, row.month))
    return rows


def ledger_month_detail(scope: Scope, *, facility_id: int, month: date) -> LedgerRow | None:
    """One facility's month with its entries; None when outside the scope."""
    rows = ledger_rows(scope, first=month, last=month, facility_id=facility_id)
    if not rows:
        if not ledger_facilities(scope).filter(pk=facility_id).exists():
            return None
        facility = Facility.objects.select_related("region").get(pk=facility_id)
        zero = dict.fromkeys(rules.KINDS, 0)
        rows = [
            LedgerRow(
                facility_id,
                facility.name,
                facility.region.name,
                month,
                MonthSales(),
                [],
                zero,
                dict(zero),
            )
        ]
    row = rows[0]
    if row.ledger is not None:
        row.entries = list(
            row.ledger.entries.select_related("programme", "entered_by").order_by("paid_on", "id")
        )
    return row


def entries_in_scope(scope: Scope) -> QuerySet[LedgerEntry]:
    return scope.filter_facility_rows(LedgerEntry.objects.all())


def programmes_in_scope(scope: Scope) -> QuerySet[WorkProgramme]:
    return scope.filter_facility_rows(WorkProgramme.objects.select_related("facility"))


def programme_months_in_scope(scope: Scope) -> QuerySet[ProgrammeMonth]:
    return scope.filter_facility_rows(
        ProgrammeMonth.objects.select_related("programme__facility"), "programme__facility"
    )


def month_is_closed(facility_id: int, month: date) -> bool:
    return LedgerMonth.objects.filter(
        facility_id=facility_id, month=month.replace(day=1), status=LedgerMonth.Status.CLOSED
    ).exists()


def entry_conflicts(
    *, facility_id: int, month: date, kind: str, reference: str, billing_code: str, ntpn: str
) -> list[tuple[str, str]]:
    """(field, message) for what would make an entry a second one or land in a
    closed month: asked by the form for the person, and by the service again
    under the month's lock (the unique constraints hold the last line)."""
    from django.utils.translation import gettext as _

    problems = []
    if month_is_closed(facility_id, month):
        problems.append(("month", _("Bulan ini sudah ditutup; tidak dapat diubah.")))
    entries = LedgerEntry.objects.all()
    if entries.filter(facility_id=facility_id, kind=kind, reference=reference.strip()).exists():
        problems.append(("reference", _("Nomor bukti ini sudah dicatat untuk jenis yang sama.")))
    if billing_code and entries.filter(billing_code=billing_code).exists():
        problems.append(("billing_code", _("Kode billing ini sudah dicatat.")))
    if ntpn and entries.filter(ntpn=ntpn).exists():
        problems.append(("ntpn", _("NTPN ini sudah dicatat.")))
    return problems
