"""Demo only: one open request for a quote and one accepted quote (pay 30 days
after delivery), through the same services the buyer and staff use. Keyed by
the demo buyer's email, so a second run changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from catalog import pricing
from catalog.models import Product
from facilities.models import Facility
from quotes import services
from quotes.models import QuoteRequest
from seeds.orders import _demo_staff

DEMO_NPWP = "013121660091000"  # 01.312.166.0-091.000, a well-formed example
# (buyer email key, organisation, product slug, quantity, accepted on terms?)
SCENARIOS = [
    (
        "penawaran-terbuka",
        "Dinas PUPR Kota Kendari (demo)",
        "paving-block-hexagon-kendari",
        150,
        None,
    ),
    ("penawaran-disetujui", "CV Bangun Sultra (demo)", "paving-block-bata-kendari", 120, 30),
]


def load_demo_quotes(facilities: dict[str, Facility]) -> int:
    """Returns how many demo quote requests exist (0 outside DEBUG)."""
    if not settings.DEBUG:
        return 0
    today = timezone.localdate()
    for key, organisation, slug, quantity, terms in SCENARIOS:
        email = f"{key}@contoh.karyabinaan.id"
        if QuoteRequest.objects.filter(contact_email=email).exists():
            continue
        product = Product.objects.public().filter(slug=slug).select_related("facility").first()
        if product is None or product.facility not in facilities.values():
            continue
        try:
            request = services.request_submit(
                facility_id=product.facility_id,
                items=[(product.pk, quantity)],
                buyer=services.Buyer(
                    organisation=organisation,
                    npwp=DEMO_NPWP,
                    contact_name="Pembeli Instansi Demo",
                    contact_phone="+6281200000099",
                    contact_email=email,
                ),
                delivery=services.Delivery(
                    province=product.facility.province,
                    city=product.facility.city,
                    street="Jl. Contoh Demo No. 2 (alamat demo)",
                    needed_by=today + timedelta(days=30),
                ),
                notes="Data demo.",
            )
        except ValidationError:
            continue
        if terms is None:
            continue
        staff = _demo_staff(product.facility)
        try:
            quote = services.quote_send(
                request=request,
                actor=staff,
                unit_prices={
                    line.pk: pricing.unit_price_for(line.product, line.quantity)
                    for line in request.lines.select_related("product")
                },
                delivery_method="local",
                delivery_fee=350_000,
                delivery_date=today + timedelta(days=10),
                valid_until=today + timedelta(days=14),
                payment_terms_days=terms,
                note="Termasuk bongkar muat (demo).",
            )
            services.quote_accept(request=request, quote_id=quote.pk)
        except services.QuoteError:
            continue  # e.g. sold out in this database: the request stays open
    return QuoteRequest.objects.filter(contact_email__endswith="@contoh.karyabinaan.id").count()
