"""Reads of the Bapas clients' businesses, and who may see which.

The rule, asked here and nowhere else (`bapas_scope_for`):
- a Bapas officer (facility staff of a Bapas) sees the businesses its Bapas
  mentors, and no other Bapas's;
- the client (facility staff of the business itself) sees their own only;
- head office sees all, read-only; a Kanwil reviewer sees none of these pages
  (it reviews the business's listings like any facility's, in the catalog).
Built on facilities.scoping.scope_for, so a switched-off account sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from bapas.models import Enterprise, MentoringVisit
from core.money import format_rupiah
from facilities.models import Facility
from facilities.scoping import Scope, scope_for
from orders.models import Order, OrderStatus
from orders.payments.models import SettlementEntry
from orders.privacy.holds import erasure_holds as order_holds
from orders.states import FINAL

# Orders that sold something: paid (or on terms and under way); an unpaid,
# cancelled or expired order sold nothing.
NOT_SOLD = (OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED, OrderStatus.EXPIRED)


@dataclass(frozen=True)
class BapasScope:
    national: bool = False
    bapas_id: int | None = None
    enterprise_facility_id: int | None = None

    @property
    def is_mentor(self) -> bool:
        return self.bapas_id is not None

    @property
    def is_client(self) -> bool:
        return self.enterprise_facility_id is not None

    @property
    def sees_any(self) -> bool:
        return self.national or self.is_mentor or self.is_client

    def q(self) -> Q:
        if self.national:
            return Q()
        if self.is_mentor:
            return Q(bapas_id=self.bapas_id)
        if self.is_client:
            return Q(facility_id=self.enterprise_facility_id)
        return Q(pk__in=[])

    def may_see(self, enterprise: Enterprise) -> bool:
        return (
            self.national
            or (self.is_mentor and enterprise.bapas_id == self.bapas_id)
            or (self.is_client and enterprise.facility_id == self.enterprise_facility_id)
        )

    def mentors(self, enterprise: Enterprise) -> bool:
        """The Bapas officer who may record visits and end the supervision."""
        return self.is_mentor and enterprise.bapas_id == self.bapas_id

    def owns(self, enterprise: Enterprise) -> bool:
        """The client themself: decides, exports, asks to delete."""
        return self.is_client and enterprise.facility_id == self.enterprise_facility_id


NO_BAPAS_SCOPE = BapasScope()


def bapas_scope_for(user) -> BapasScope:
    """The scope of `user` over Bapas clients' businesses, cached on the user."""
    cached = getattr(user, "_kb_bapas_scope", None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    if scope.is_national:
        result = BapasScope(national=True)
    elif scope.is_facility_staff:
        kind = Facility.objects.filter(pk=scope.facility_id).values_list("kind", flat=True).first()
        if kind == Facility.Kind.BAPAS:
            result = BapasScope(bapas_id=scope.facility_id)
        elif kind == Facility.Kind.ENTERPRISE:
            result = BapasScope(enterprise_facility_id=scope.facility_id)
        else:
            result = NO_BAPAS_SCOPE
    else:
        result = NO_BAPAS_SCOPE
    if getattr(user, "is_authenticated", False):
        user._kb_bapas_scope = result
    return result


def enterprises_for(user) -> QuerySet[Enterprise]:
    return (
        Enterprise.objects.filter(bapas_scope_for(user).q())
        .select_related("facility", "bapas")
        .order_by("facility__name")
    )


def enterprise_for(user, pk) -> Enterprise | None:
    """One business, or None when it does not exist or is out of scope."""
    return enterprises_for(user).filter(pk=pk).first()


def visits_of(enterprise: Enterprise) -> QuerySet[MentoringVisit]:
    return enterprise.visits.select_related("recorded_by").order_by("-visited_on", "-id")


def sales_by_month(enterprise: Enterprise) -> list[dict]:
    """Orders that sold and their goods revenue (no shipping), per month,
    newest first: what the Bapas follows, read-only."""
    rows = (
        Order.objects.filter(facility_id=enterprise.facility_id)
        .exclude(status__in=NOT_SOLD)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(orders=Count("id"), revenue=Sum("subtotal"))
        .order_by("-month")
    )
    return [
        {"month": r["month"].date(), "orders": r["orders"], "revenue": r["revenue"] or 0}
        for r in rows
    ]


def open_orders(enterprise: Enterprise) -> QuerySet[Order]:
    """Orders the business still has to finish (not completed, cancelled or expired)."""
    return Order.objects.filter(facility_id=enterprise.facility_id).exclude(status__in=FINAL)


def client_account(enterprise: Enterprise):
    """The client's own login (the active account holding the business's
    facility scope; facilities.scoping answers who works where), or None."""
    return Scope.of_facility(enterprise.facility_id).holders().order_by("pk").first()


def storefront_mark(facility: Facility) -> dict | None:
    """What the business's storefront says about the Bapas: None when the
    client chose to drop the mark (after supervision) or the data is erased.
    The client's name and story only as the client chose."""
    enterprise = Enterprise.objects.filter(facility_id=facility.pk).select_related("bapas").first()
    if enterprise is None or enterprise.is_erased:
        return None
    mark = {
        "shows_mark": enterprise.shows_bapas_mark,
        "bapas_name": enterprise.bapas.name,
        "client_name": enterprise.client_name if enterprise.show_client_name else "",
        "story": enterprise.story if enterprise.story_shared else "",
        "supervised": enterprise.status == Enterprise.Status.SUPERVISED,
    }
    return mark if mark["shows_mark"] or mark["client_name"] or mark["story"] else None


def erasure_holds(enterprise: Enterprise) -> list[str]:
    """What must be finished before the client's data may go, each an
    Indonesian sentence: orders not yet ended, money the operator still owes
    the business (it must know whom to pay), and each ended order's own holds
    (orders.privacy.holds: receipts, refunds, complaints, ...)."""
    reasons = []
    running = open_orders(enterprise).count()
    if running:
        reasons.append(
            _("%(n)s pesanan masih berjalan; selesaikan atau batalkan lebih dulu.") % {"n": running}
        )
    owed = SettlementEntry.objects.filter(
        facility_id=enterprise.facility_id, status=SettlementEntry.Status.OWED
    ).aggregate(total=Sum("amount"))["total"]
    if owed:
        reasons.append(
            _("Setoran %(amount)s belum ditransfer ke rekening usaha.")
            % {"amount": format_rupiah(owed)}
        )
    for order in Order.objects.filter(facility_id=enterprise.facility_id, status__in=FINAL):
        reasons.extend(hold.reason for hold in order_holds(order))
    return reasons


def export_data(enterprise: Enterprise) -> dict:
    """The client's own data, as a JSON-able dict (their download)."""
    facility = enterprise.facility
    products = facility.products.select_related("category").order_by("pk")
    orders = (
        Order.objects.filter(facility_id=facility.pk)
        .order_by("created_at")
        .values("code", "created_at", "status", "subtotal", "shipping_fee", "total")
    )
    bank = facility.bank_accounts.filter(is_active=True).first()
    return {
        "usaha": {
            "nama_toko": facility.name,
            "alamat_toko": facility.address,
            "kota": facility.city,
            "tentang": facility.about,
            "whatsapp": facility.whatsapp,
            "nama_klien": enterprise.client_name,
            "nama_klien_tampil": enterprise.show_client_name,
            "kisah_diceritakan": enterprise.story_shared,
            "kisah": enterprise.story,
            "tanda_bapas_tampil": enterprise.shows_bapas_mark,
            "bapas": enterprise.bapas.name,
            "persetujuan_tertulis": enterprise.consent_signed_on.isoformat(),
            "pembimbingan": [
                enterprise.supervision_starts_on.isoformat(),
                enterprise.supervision_ends_on.isoformat(),
            ],
            "status": enterprise.get_status_display(),
            "keputusan": enterprise.get_decision_display(),
            "rekening": (
                {
                    "bank": bank.bank_name,
                    "nomor": bank.account_number,
                    "atas_nama": bank.account_holder,
                }
                if bank
                else None
            ),
        },
        "produk": [
            {
                "nama": p.name,
                "kategori": p.category.name,
                "harga": p.price,
                "stok": p.stock,
                "status": p.get_status_display(),
                "deskripsi": p.description,
            }
            for p in products
        ],
        # Codes, dates and amounts only: the shoppers' names and addresses are theirs.
        "pesanan": [
            {
                "kode": o["code"],
                "tanggal": o["created_at"].isoformat(),
                "status": OrderStatus(o["status"]).label,
                "barang": o["subtotal"],
                "ongkir": o["shipping_fee"],
                "total": o["total"],
            }
            for o in orders
        ],
        "penjualan_per_bulan": [
            {
                "bulan": r["month"].strftime("%Y-%m"),
                "pesanan": r["orders"],
                "pendapatan": r["revenue"],
            }
            for r in sales_by_month(enterprise)
        ],
        "kunjungan": [
            {
                "tanggal": v.visited_on.isoformat(),
                "topik": v.topic,
                "catatan": v.notes,
                "langkah_berikutnya": v.next_step,
            }
            for v in visits_of(enterprise)
        ],
    }
