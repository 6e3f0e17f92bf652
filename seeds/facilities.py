"""The regions (Kanwil) and facilities named in shared/sources.

Addresses, phone numbers and bank accounts are demo values, marked as such;
a facility's staff replace them in the admin.
"""

from django.db import transaction

from facilities.models import BankAccount, Facility, Region
from facilities.services import facility_origin_set
from regions.loader import read_package_data, regions_load
from regions.models import Village

# Where couriers pick up each demo facility's parcels: a district of its city
# (Kemendagri code); the origin is that district's first village with a
# postal code. Demo values: staff set the real one in the admin.
ORIGIN_DISTRICTS = {
    "lapas-banjarmasin": "63.71.01",  # Banjarmasin Selatan, Kota Banjarmasin
    "lapas-perempuan-palangka-raya": "62.71.03",  # Jekan Raya, Kota Palangkaraya
    "lapas-pangkalpinang": "19.71.01",  # Bukit Intan, Kota Pangkal Pinang
    "lapas-kendari": "74.71.01",  # Mandonga, Kota Kendari
    "lapas-perempuan-kendari": "74.71.01",
    "rutan-raha": "74.03.16",  # Katobu, Kabupaten Muna (Raha)
    "bapas-baubau": "74.72.02",  # Wolio, Kota Bau Bau
    "lapas-palembang": "16.71.04",  # Ilir Barat Satu, Kota Palembang
    "lapas-perempuan-palembang": "16.71.04",
}
# The demo shopper's address (seeds/orders.py) lies in Tebet, Jakarta Selatan.
DEMO_DISTRICTS = ["31.74.01"]


def load_demo_regions() -> None:
    """The demo's districts from the region data (an idempotent upsert), so
    the seeds work before or without a full `load_regions`."""
    wanted = sorted(set(ORIGIN_DISTRICTS.values()) | set(DEMO_DISTRICTS))
    if Village.objects.filter(district_id__in=wanted).values(
        "district_id"
    ).distinct().count() == len(wanted):
        return
    wilayah, villages, postal = read_package_data(prefixes=wanted)
    regions_load(wilayah=wilayah, villages=villages, postal=postal, prefixes=wanted)


REGIONS = [
    {
        "slug": "kalimantan-selatan",
        "name": "Kanwil Kalimantan Selatan",
        "province": "Kalimantan Selatan",
    },
    {
        "slug": "kalimantan-tengah",
        "name": "Kanwil Kalimantan Tengah",
        "province": "Kalimantan Tengah",
    },
    {
        "slug": "bangka-belitung",
        "name": "Kanwil Kepulauan Bangka Belitung",
        "province": "Kepulauan Bangka Belitung",
    },
    {
        "slug": "sulawesi-tenggara",
        "name": "Kanwil Sulawesi Tenggara",
        "province": "Sulawesi Tenggara",
    },
    {"slug": "sumatera-selatan", "name": "Kanwil Sumatera Selatan", "province": "Sumatera Selatan"},
]

WITA = Facility.TimeZone.WITA
WIB = Facility.TimeZone.WIB

FACILITIES = [
    {
        "slug": "lapas-banjarmasin",
        "region": "kalimantan-selatan",
        "name": "Lapas Kelas IIA Banjarmasin",
        "kind": "lapas",
        "facility_class": "IIA",
        "city": "Banjarmasin",
        "timezone": WITA,
        "phone": "0511 3300 101",
        "whatsapp": "0811 5100 101",
        "about": "Program kemandirian Lapas Banjarmasin menghasilkan kerajinan dan makanan "
        "olahan. Bersama Rumah Kemasan Pemerintah Kota Banjarmasin, kemasan produk "
        "warga binaan terus diperbaiki agar siap bersaing dengan produk UMKM.",
    },
    {
        "slug": "lapas-perempuan-palangka-raya",
        "region": "kalimantan-tengah",
        "name": "Lapas Perempuan Kelas II Palangka Raya",
        "kind": "lapas",
        "facility_class": "II",
        "is_womens": True,
        "city": "Palangka Raya",
        "timezone": WIB,
        "phone": "0536 3200 102",
        "whatsapp": "0811 5200 102",
        "about": "Kerajinan tangan berkualitas premium karya warga binaan perempuan, "
        "diapresiasi Pemerintah Provinsi Kalimantan Tengah pada Hari Bhakti "
        "Pemasyarakatan ke-61.",
    },
    {
        "slug": "lapas-pangkalpinang",
        "region": "bangka-belitung",
        "name": "Lapas Kelas IIA Pangkalpinang",
        "kind": "lapas",
        "facility_class": "IIA",
        "city": "Pangkalpinang",
        "timezone": WIB,
        "phone": "0717 4300 103",
        "whatsapp": "0811 7100 103",
        "about": "Perangkap tikus dan sarang burung lovebird buatan warga binaan, juga "
        "dipasarkan lewat Toko Acun Akuarium berdasarkan perjanjian kerja sama.",
    },
    {
        "slug": "lapas-kendari",
        "region": "sulawesi-tenggara",
        "name": "Lapas Kelas IIA Kendari",
        "kind": "lapas",
        "facility_class": "IIA",
        "city": "Kendari",
        "timezone": WITA,
        "phone": "0401 3100 104",
        "whatsapp": "0811 4000 104",
        "about": "Paving block untuk proyek rumah dan jalan lingkungan, serta roti dan "
        "kue dari dapur bakery Lapas Kendari.",
    },
    {
        "slug": "lapas-perempuan-kendari",
        "region": "sulawesi-tenggara",
        "name": "Lapas Perempuan Kelas III Kendari",
        "kind": "lapas",
        "facility_class": "III",
        "is_womens": True,
        "city": "Kendari",
        "timezone": WITA,
        "phone": "0401 3100 105",
        "whatsapp": "0811 4000 105",
        "about": "Tas rajut dan kain eco print dengan pewarna alami daun dan bunga.",
    },
    {
        "slug": "rutan-raha",
        "region": "sulawesi-tenggara",
        "name": "Rutan Kelas IIB Raha",
        "kind": "rutan",
        "facility_class": "IIB",
        "city": "Raha",
        "timezone": WITA,
        "phone": "0403 2100 106",
        "whatsapp": "0811 4000 106",
        "about": "Miniatur kayu jati dan gembol (kerajinan akar jati) dari Muna, "
        "dikerjakan dengan tangan.",
    },
    {
        "slug": "bapas-baubau",
        "region": "sulawesi-tenggara",
        "name": "Bapas Baubau",
        "kind": "bapas",
        "facility_class": "",
        "city": "Baubau",
        "timezone": WITA,
        "phone": "0402 2800 107",
        "whatsapp": "0811 4000 107",
        "about": "Butonik: produk etnik khas Buton, hasil pendampingan kewirausahaan klien "
        "pemasyarakatan. Juga keripik, keset dan kerajinan bambu dari Sulawesi Tenggara.",
    },
    {
        "slug": "lapas-palembang",
        "region": "sumatera-selatan",
        "name": "Lapas Kelas I Palembang",
        "kind": "lapas",
        "facility_class": "I",
        "city": "Palembang",
        "timezone": WIB,
        "phone": "0711 3500 108",
        "whatsapp": "0811 7300 108",
        "about": "Kaos sablon, roti dan pempek dari dapur Lapas Kelas I Palembang, "
        "didampingi Dinas Koperasi dan UMKM Kota Palembang.",
    },
    {
        "slug": "lapas-perempuan-palembang",
        "region": "sumatera-selatan",
        "name": "Lapas Perempuan Palembang",
        "kind": "lapas",
        "facility_class": "IIA",
        "is_womens": True,
        "city": "Palembang",
        "timezone": WIB,
        "phone": "0711 3500 109",
        "whatsapp": "0811 7300 109",
        "about": "Batik, songket, mukena, aksesori dan tas karya warga binaan perempuan "
        "Sumatera Selatan.",
    },
]


@transaction.atomic
def load_facilities() -> dict[str, Facility]:
    """Create or update the seeded regions and facilities; returns them by slug."""
    regions = {}
    for row in REGIONS:
        region, _ = Region.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "province": row["province"]}
        )
        regions[row["slug"]] = region

    facilities = {}
    for row in FACILITIES:
        row = dict(row)
        region = regions[row.pop("region")]
        slug = row.pop("slug")
        defaults = {
            "region": region,
            "province": region.province,
            "address": f"Jl. Pemasyarakatan No. 1, {row['city']} (alamat contoh)",
            "showroom_hours": "Senin–Jumat 08.00–15.00, Sabtu 08.00–12.00",
            "email": f"{slug}@contoh.karyabinaan.id",
            "is_active": True,
            **row,
        }
        facility, _ = Facility.objects.update_or_create(slug=slug, defaults=defaults)
        BankAccount.objects.update_or_create(
            facility=facility,
            bank_name="Bank BRI",
            defaults={
                "account_number": f"0000-01-{facility.pk:06d}-30-0",
                "account_holder": f"BPG {facility.name} (contoh)",
            },
        )
        facilities[slug] = facility
    load_demo_regions()
    for slug, district in ORIGIN_DISTRICTS.items():
        village = (
            Village.objects.filter(district_id=district)
            .exclude(postal_code="")
            .order_by("code")
            .first()
        )
        facility_origin_set(
            facility=facilities[slug],
            village_code=village.code if village else "",
            district_code=district,
        )
    return facilities
