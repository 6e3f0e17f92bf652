"""The partners of the sources: Toko Acun Akuarium's desk (Lapas Pangkalpinang)
and Rumah Kemasan Banjarmasin as a packaging house with a request from Lapas
Banjarmasin and a proposal waiting. Logins only in development (DEBUG), with
the demo password, like seeds.accounts. Idempotent: keyed by names."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalog.models import Product
from facilities.models import Facility, PartnerOutlet
from partners import services
from partners.models import OutletPayment, PackagingHouse, PackagingRequest, PartnerAccount
from seeds.accounts import DEMO_PASSWORD

OUTLET_LOGIN = "mitra-toko-acun"
HOUSE_LOGIN = "rumah-kemasan-banjarmasin"
SEED_KEY = "seed-partners-0001"


def _login(username: str, **partner) -> None:
    if not settings.DEBUG or get_user_model().objects.filter(username=username).exists():
        return
    services.partner_account_create(
        actor=None, username=username, password=DEMO_PASSWORD, **partner
    )


def load_partners(facilities: dict[str, Facility]) -> dict[str, int]:
    summary = {"partner_logins": 0, "packaging_requests": 0}
    outlet = PartnerOutlet.objects.filter(name="Toko Acun Akuarium").first()
    if outlet is not None:
        _login(OUTLET_LOGIN, outlet=outlet)
        # The two traps sold this month, paid by transfer, waiting for the Lapas.
        if not OutletPayment.objects.filter(outlet=outlet, key=SEED_KEY).exists():
            OutletPayment.objects.create(
                outlet=outlet,
                key=SEED_KEY,
                month=timezone.localdate().replace(day=1),
                amount=2 * 85_000,
                paid_on=timezone.localdate(),
                note="Transfer BRI, seed demo",
            )
    house, _ = PackagingHouse.objects.update_or_create(
        name="Rumah Kemasan Banjarmasin",
        defaults={
            "city": "Banjarmasin",
            "address": "Jl. Sultan Adam, Kompleks Dinas Koperasi dan UKM Kota Banjarmasin",
            "contact_name": "Pengelola Rumah Kemasan",
        },
    )
    _login(HOUSE_LOGIN, packaging_house=house)
    banjarmasin = facilities.get("lapas-banjarmasin")
    amplang = Product.objects.filter(slug="amplang-ikan-lapas-banjarmasin").first()
    if banjarmasin is not None and amplang is not None:
        request, created = PackagingRequest.objects.get_or_create(
            facility=banjarmasin,
            product=amplang,
            house=house,
            defaults={
                "note": "Amplang kami dijual dalam plastik bening diikat. Mohon usulan "
                "kemasan standing pouch dengan label pangan (P-IRT, halal, komposisi, "
                "berat bersih) agar bisa masuk toko oleh-oleh.",
            },
        )
        if created:
            account = PartnerAccount.objects.filter(packaging_house=house).first()
            if account is not None:
                services.packaging_proposal_send(
                    account=account,
                    request=request,
                    key=SEED_KEY,
                    text="Standing pouch kraft 250 g dengan jendela bening dan zip; label "
                    "depan warna khas Sasirangan, label belakang berisi data pangan.",
                    price=1_250_000,
                    composition="Ikan pipih, tepung tapioka, telur, bawang putih, garam",
                    net_content="250 g",
                )
        summary["packaging_requests"] = 1
    summary["partner_logins"] = PartnerAccount.objects.count()
    return summary
