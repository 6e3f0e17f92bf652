"""Demo only (DEBUG): a Bapas client's business under Bapas Baubau, a
Butonik bag shop, registered, listed, reviewed, sold and paid out the way a
real one is.

Every step goes through the services with the demo accounts: the Bapas
officer registers the shop (its account in the client's name, the client's
login `usaha-butonik-wolio`), the client lists two bags, the Kanwil of
Sulawesi Tenggara approves them, the officer records a visit, a shopper pays
one bag online (as seeds.books pays, through the gateway's signed
notification) and head office records the transfer to the client's account.
The client's name is a demo value and, as most clients choose, not shown.

Idempotent: a second run finds the shop by its slug and changes nothing.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bapas import services
from bapas.models import Enterprise
from bapas.selectors import client_account
from catalog import services as catalog_services
from catalog.models import Category
from facilities.models import Facility, Membership
from orders.payments import services as gateway_services
from orders.payments.midtrans import is_configured
from orders.payments.models import GatewayPayment, SettlementEntry
from seeds.accounts import DEMO_PASSWORD, _account
from seeds.books import _pay
from seeds.catalog import FULL_CHECKLIST
from seeds.catalog_photos import draw_photo

SHOP_NAME = "Tas Anyam Butonik Wolio"
CLIENT_USERNAME = "usaha-butonik-wolio"
PRODUCTS = [
    {
        "slug": "tas-selempang-butonik-wolio",
        "name": "Tas Selempang Motif Butonik",
        "description": "Tas selempang kain tenun motif Buton dengan tali kulit sintetis, "
        "lapisan dalam dan resleting. Ukuran 24 x 18 cm.",
        "price": 210_000,
        "weight_grams": 400,
        "stock": 6,
    },
    {
        "slug": "dompet-butonik-wolio",
        "name": "Dompet Tenun Butonik",
        "description": "Dompet lipat kain tenun Buton, tiga kantong kartu. Ukuran 11 x 9 cm.",
        "price": 85_000,
        "weight_grams": 120,
        "stock": 10,
    },
]
# A one-page PDF standing for the scanned, signed consent form.
CONSENT_PDF = b"%PDF-1.4\n% formulir persetujuan (contoh demo)\n%%EOF\n"


def _register(bapas: Facility) -> Enterprise:
    officer = _account(
        f"petugas-{bapas.slug}", Membership.Role.FACILITY_STAFF, facility=bapas, name=bapas.name
    )
    today = timezone.localdate()
    enterprise = services.enterprise_register(
        actor=officer,
        shop_name=SHOP_NAME,
        client_name="La Ode Contoh (demo)",
        consent_signed_on=today - timedelta(days=40),
        consent_form=SimpleUploadedFile(
            "persetujuan.pdf", CONSENT_PDF, content_type="application/pdf"
        ),
        supervision_starts_on=date(today.year, 1, 1),
        supervision_ends_on=date(today.year + 1, 6, 30),
        bank_name="Bank Sultra",
        account_number="0000-09-000001-00-0",
        username=CLIENT_USERNAME,
        password=DEMO_PASSWORD,
        about="Tas dan dompet dari kain tenun motif Buton, dijahit tangan di Wolio, Baubau.",
        whatsapp="0811 4000 170",
    )
    services.enterprise_visit_record(
        actor=officer,
        enterprise=enterprise,
        visited_on=today - timedelta(days=7),
        topic="Foto produk dan ongkos kirim",
        notes="Foto di cahaya siang; berat kemasan ditimbang ulang.",
        next_step="Tambah satu motif baru bulan depan",
    )
    return enterprise


def _list_products(enterprise: Enterprise) -> list:
    client = client_account(enterprise)
    reviewer = _account(
        f"kanwil-{enterprise.facility.region.slug}",
        Membership.Role.REGIONAL_REVIEWER,
        region=enterprise.facility.region,
        name=enterprise.facility.region.name,
    )
    category = Category.objects.filter(slug="tas").first() or Category.objects.first()
    products = []
    for row in PRODUCTS:
        product = catalog_services.product_create(
            facility=enterprise.facility, actor=client, category=category, **row
        )
        catalog_services.product_image_add(
            product=product,
            upload=io.BytesIO(draw_photo(product.name, "kerajinan")),
            alt_text=f"Ilustrasi {product.name}",
            actor=client,
        )
        catalog_services.listing_submit(product=product, actor=client)
        catalog_services.listing_approve(product=product, actor=reviewer, checklist=FULL_CHECKLIST)
        products.append(product)
    return products


def _sell_and_pay_out(products) -> None:
    """One bag paid online, then paid out by head office to the client's account."""
    if not is_configured():
        return
    payment = _pay("bapas-butonik", products[:1])
    if payment is None:
        return
    # Received three days ago, a day the demo's gateway report (seeds.books)
    # does not cover: the books page shows that day balanced, not "not in report".
    GatewayPayment.objects.filter(pk=payment.pk).update(paid_at=timezone.now() - timedelta(days=3))
    head_office = _account("pusat", Membership.Role.HEAD_OFFICE, name="Kantor Pusat")
    gateway_services.settlement_pay_out(
        entries=list(SettlementEntry.objects.filter(payment=payment)),
        actor=head_office,
        reference="DEMO-SETOR-USAHA-1",
    )


def load_bapas(facilities: dict[str, Facility]) -> int:
    """The demo business (DEBUG only); returns how many businesses exist."""
    bapas = facilities.get("bapas-baubau")
    if not settings.DEBUG or bapas is None:
        return Enterprise.objects.count()
    if not Enterprise.objects.filter(facility__name=SHOP_NAME).exists():
        enterprise = _register(bapas)
        products = _list_products(enterprise)
        _sell_and_pay_out(products)
    return Enterprise.objects.count()
