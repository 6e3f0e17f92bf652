"""Partner outlets and an exhibition named in the sources: Lapas Pangkalpinang's
pet shop partner, Banjarmasin's municipal packaging house, and a bazaar in
Palembang. Dates are relative to the day the seeds load, so the demo always
shows a current agreement and an upcoming event. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from catalog import services
from catalog.models import ExhibitionProduct, OutletProduct, Product
from facilities.models import Exhibition, Facility, PartnerOutlet

OUTLETS = [
    {
        "facility": "lapas-pangkalpinang",
        "name": "Toko Acun Akuarium",
        "kind": PartnerOutlet.Kind.SHOP,
        "address": "Jl. Masjid Jamik No. 27, Kel. Opas Indah, Kec. Taman Sari",
        "city": "Pangkalpinang",
        "directions": "Toko ikan hias dan perlengkapan burung, dekat Pasar Pagi Pangkalpinang.",
        "opening_hours": "Setiap hari 08.00–20.00",
        "agreement_number": "W7.PAS.PAS1-PK.01.04-01/2026",
        "products": [
            "perangkap-tikus-kawat-pangkalpinang",
            "sarang-lovebird-kayu-pangkalpinang",
            "sarang-lovebird-gantung-pangkalpinang",
        ],
        # slug -> (handed over, reported sold): the demo's consignment stock.
        "consignment": {"perangkap-tikus-kawat-pangkalpinang": (5, 2)},
    },
    {
        "facility": "lapas-banjarmasin",
        "name": "Rumah Kemasan Banjarmasin",
        "kind": PartnerOutlet.Kind.PACKAGING_HOUSE,
        "address": "Jl. Sultan Adam, Kompleks Dinas Koperasi dan UKM Kota Banjarmasin",
        "city": "Banjarmasin",
        "directions": "Di kompleks Dinas Koperasi dan UKM Kota, gedung galeri di sisi kiri.",
        "opening_hours": "Senin–Jumat 08.00–16.00",
        "agreement_number": "W15.PAS.PAS2-PK.01.04-07/2026",
        "products": [
            "amplang-ikan-lapas-banjarmasin",
            "kerupuk-haruan-lapas-banjarmasin",
            "keripik-pisang-lapas-banjarmasin",
        ],
    },
]


def load_channels(facilities: dict[str, Facility]) -> dict[str, int]:
    today = timezone.localdate()
    products = {p.slug: p for p in Product.objects.all()}
    outlets = 0
    for row in OUTLETS:
        facility = facilities.get(row["facility"])
        if facility is None:
            continue
        outlet, _ = PartnerOutlet.objects.update_or_create(
            facility=facility,
            name=row["name"],
            defaults={
                "kind": row["kind"],
                "address": row["address"],
                "city": row["city"],
                "directions": row["directions"],
                "opening_hours": row["opening_hours"],
                "agreement_number": row["agreement_number"],
                "agreement_start": today - timedelta(days=120),
                "agreement_end": today + timedelta(days=245),
            },
        )
        for slug in row["products"]:
            if slug in products:
                link, _ = OutletProduct.objects.get_or_create(outlet=outlet, product=products[slug])
                consigned = row.get("consignment", {}).get(slug)
                # Once only: a second load must not hand the goods over again.
                if (
                    consigned
                    and not link.movements.exists()
                    and products[slug].stock >= consigned[0]
                ):
                    services.consignment_hand_over(link=link, quantity=consigned[0], actor=None)
                    services.consignment_report_sold(link=link, quantity=consigned[1], actor=None)
        outlets += 1

    exhibitions = 0
    palembang = facilities.get("lapas-palembang")
    if palembang is not None:
        start = today + timedelta(days=14)
        event, _ = Exhibition.objects.update_or_create(
            facility=palembang,
            title="Bazar Karya Warga Binaan Kambang Iwak",
            defaults={
                "place": "Taman Kambang Iwak Besak (KIB)",
                "city": "Palembang",
                "province": palembang.province,
                "starts_on": start,
                "ends_on": start + timedelta(days=2),
                "description": "Bazar akhir pekan UPT pemasyarakatan Sumatera Selatan: kaos "
                "sablon, pempek, roti, songket dan jumputan karya warga binaan.",
            },
        )
        participants = [f for s, f in facilities.items() if s.endswith("palembang")]
        event.participants.set(participants)
        for slug in (
            "kaos-sablon-ampera-lapas-palembang",
            "pempek-kapal-selam-lapas-palembang",
            "kain-songket-lepus-lpp-palembang",
        ):
            if slug in products:
                ExhibitionProduct.objects.get_or_create(exhibition=event, product=products[slug])
        exhibitions = 1
    return {"outlets": outlets, "exhibitions": exhibitions}
