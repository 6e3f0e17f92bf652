"""The 38 provinces (Kemendagri code, official name) and a name -> code map
that accepts the spellings already stored in free text (orders/delivery/fees.py's
PROVINCES, facilities, ShippingRate rows): "DKI Jakarta", "DI Yogyakarta",
"Bangka Belitung", ... A data migration can create the provinces from this
list when the regions table is still empty (load_regions then upserts the
same codes with the same names), so free-text provinces map onto codes on a
database with or without the full region data loaded.
"""

import re

PROVINCES = [
    ("11", "Aceh"),
    ("12", "Sumatera Utara"),
    ("13", "Sumatera Barat"),
    ("14", "Riau"),
    ("15", "Jambi"),
    ("16", "Sumatera Selatan"),
    ("17", "Bengkulu"),
    ("18", "Lampung"),
    ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"),
    ("31", "Daerah Khusus Ibukota Jakarta"),
    ("32", "Jawa Barat"),
    ("33", "Jawa Tengah"),
    ("34", "Daerah Istimewa Yogyakarta"),
    ("35", "Jawa Timur"),
    ("36", "Banten"),
    ("51", "Bali"),
    ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"),
    ("61", "Kalimantan Barat"),
    ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"),
    ("64", "Kalimantan Timur"),
    ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"),
    ("72", "Sulawesi Tengah"),
    ("73", "Sulawesi Selatan"),
    ("74", "Sulawesi Tenggara"),
    ("75", "Gorontalo"),
    ("76", "Sulawesi Barat"),
    ("81", "Maluku"),
    ("82", "Maluku Utara"),
    ("91", "Papua"),
    ("92", "Papua Barat"),
    ("93", "Papua Selatan"),
    ("94", "Papua Tengah"),
    ("95", "Papua Pegunungan"),
    ("96", "Papua Barat Daya"),
]

# Other spellings seen in free text, normalised (see _key).
ALIASES = {
    "dki jakarta": "31",
    "jakarta": "31",
    "daerah khusus jakarta": "31",
    "dk jakarta": "31",
    "di yogyakarta": "34",
    "diy": "34",
    "yogyakarta": "34",
    "jogja": "34",
    "bangka belitung": "19",
    "babel": "19",
    "kep bangka belitung": "19",
    "kepri": "21",
    "kep riau": "21",
    "nad": "11",
    "nanggroe aceh darussalam": "11",
    "ntb": "52",
    "ntt": "53",
    "sumut": "12",
    "sumbar": "13",
    "sumsel": "16",
    "jabar": "32",
    "jateng": "33",
    "jatim": "35",
    "kalbar": "61",
    "kalteng": "62",
    "kalsel": "63",
    "kaltim": "64",
    "kaltara": "65",
    "sulut": "71",
    "sulteng": "72",
    "sulsel": "73",
    "sultra": "74",
    "sulbar": "76",
    "malut": "82",
    "irian jaya barat": "92",
}


def _key(name):
    name = re.sub(r"[^a-z ]", " ", (name or "").lower())
    name = re.sub(r"^provinsi ", "", " ".join(name.split()))
    return name


_BY_NAME = {_key(name): code for code, name in PROVINCES} | ALIASES


def province_code_for_name(name):
    """The Kemendagri code of a free-text province name, or None if unknown."""
    return _BY_NAME.get(_key(name))
