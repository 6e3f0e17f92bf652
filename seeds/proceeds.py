"""Demo only: three past months of Lapas Pangkalpinang's proceeds ledger.

Sales come through the real path: bird cages handed to its partner shop (Toko
Acun Akuarium, seeds.channels) and reported sold in each month. Shares 40 %
premi, 15 % PNBP, 25 % materials. Three months ago every share was paid to
the rupiah and the month is closed; two months ago the premi paid is Rp 10.000
short, so the month stays open and the Kanwil Bangka Belitung sees the
difference; last month only the premi is in so far. Entries, headcounts and the
close go through proceeds.services as the system (actor None: the demo
accounts are made after the seeds). Idempotent: keyed by the receipt numbers.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from catalog import services as catalog_services
from catalog.models import ConsignmentMovement, OutletProduct
from facilities.models import Facility, Membership, ProceedsShare
from facilities.scoping import Scope
from proceeds import rules, services
from proceeds.models import LedgerEntry, LedgerMonth, WorkProgramme
from proceeds.months import add_months, this_month
from proceeds.sales import share_amount

FACILITY = "lapas-pangkalpinang"
PRODUCT = "sarang-lovebird-kayu-pangkalpinang"
NOTE = "Data demo buku hasil penjualan"
SHARES = [("Premi warga binaan", "40"), ("PNBP", "15"), ("Bahan baku", "25")]
PROGRAMMES = [("Kerajinan kawat", 14), ("Pertukangan sangkar burung", 9)]
SOLD = [(3, 4), (2, 5), (1, 3)]  # (months ago, cages sold)
HEAD_OFFICE = Scope(role=Membership.Role.HEAD_OFFICE)


def _proof() -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% bukti demo\n", name="bukti.pdf")


def _sell(link: OutletProduct) -> None:
    if ConsignmentMovement.objects.filter(link=link, note=NOTE).exists():
        return
    first = add_months(this_month(), -SOLD[0][0])
    catalog_services.consignment_hand_over(
        link=link, quantity=sum(n for _ago, n in SOLD), actor=None, occurred_on=first, note=NOTE
    )
    for ago, quantity in SOLD:
        catalog_services.consignment_report_sold(
            link=link,
            quantity=quantity,
            actor=None,
            unit_price=link.product.price,
            occurred_on=add_months(this_month(), -ago) + timedelta(days=14),
            note=NOTE,
        )


def _pay(facility, month, kind, amount, reference, **extra) -> None:
    if LedgerEntry.objects.filter(facility=facility, kind=kind, reference=reference).exists():
        return
    services.ledger_entry_record(
        actor=None,
        scope=HEAD_OFFICE,
        facility_id=facility.pk,
        month=month,
        kind=kind,
        amount=amount,
        paid_on=add_months(month, 1) + timedelta(days=4),
        reference=reference,
        proof=_proof(),
        **extra,
    )


def load_demo_proceeds(facilities: dict[str, Facility]) -> int:
    """Returns how many ledger months the demo facility has."""
    facility = facilities.get(FACILITY)
    link = (
        OutletProduct.objects.filter(outlet__facility=facility, product__slug=PRODUCT)
        .select_related("product")
        .first()
    )
    if facility is None or link is None:
        return 0
    for position, (name, percent) in enumerate(SHARES):
        ProceedsShare.objects.get_or_create(
            facility=facility,
            name=name,
            defaults={"percent": Decimal(percent), "position": position},
        )
    _sell(link)
    programmes = [
        (WorkProgramme.objects.get_or_create(facility=facility, name=name)[0], people)
        for name, people in PROGRAMMES
    ]
    for ago, quantity in SOLD:
        month = add_months(this_month(), -ago)
        if LedgerMonth.objects.filter(facility=facility, month=month, status="closed").exists():
            continue
        for programme, people in programmes:
            services.programme_month_record(
                actor=None,
                scope=HEAD_OFFICE,
                programme_id=programme.pk,
                month=month,
                participants=people,
            )
        revenue = quantity * link.product.price
        due = {
            rules.share_kind(name): share_amount(revenue, Decimal(percent))
            for name, percent in SHARES
        }
        code = f"{month:%Y%m}"
        premi = due[rules.PREMI] - (10_000 if ago == 2 else 0)
        # Premi as one total per programme, split by headcount (never per person).
        first_share = premi * PROGRAMMES[0][1] // sum(p for _n, p in PROGRAMMES)
        for (programme, _people), amount in zip(
            programmes, (first_share, premi - first_share), strict=True
        ):
            _pay(
                facility,
                month,
                rules.PREMI,
                amount,
                f"DP-{code}-{programme.pk}",
                programme_id=programme.pk,
            )
        if ago == 1:
            continue  # last month: only the premi is in so far
        _pay(
            facility,
            month,
            rules.PNBP,
            due[rules.PNBP],
            f"SETOR-{code}",
            billing_code=f"8{code}{facility.pk:08d}",
            ntpn=f"DEMO{code}{facility.pk:06d}",
        )
        _pay(facility, month, rules.MATERIALS, due[rules.MATERIALS], f"FAKTUR-{code}")
        if ago == 3:
            services.ledger_close(
                actor=None, scope=HEAD_OFFICE, facility_id=facility.pk, month=month
            )
    return LedgerMonth.objects.filter(facility=facility).count()
