"""The chained address choice: province > regency/city > district > village,
with the village's postal code. One place for the rule "this code belongs to
that parent", used by the checkout form (to list and check the choices) and
by order placement (to check again what the form let through).

Kemendagri codes are hierarchical ("31.74.01.1001" lies in "31.74.01", which
lies in "31.74", in "31"), so belonging is a prefix test and costs no query;
that a code exists costs one query per level, only for the levels chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import F, Value
from django.utils.translation import gettext_lazy as _

from .models import District, Regency, Village
from .names import PROVINCES

LEVELS = ("province", "regency", "district", "village")
CODE_LENGTHS = {"province": 2, "regency": 5, "district": 8, "village": 13}
PARENT = {"regency": "province", "district": "regency", "village": "district"}

# The Indonesian messages, one per level and kind of fault.
UNKNOWN = {
    "province": _("Provinsi tidak dikenal. Pilih provinsi dari daftar."),
    "regency": _("Kabupaten/kota tidak dikenal. Pilih dari daftar."),
    "district": _("Kecamatan tidak dikenal. Pilih dari daftar."),
    "village": _("Kelurahan/desa tidak dikenal. Pilih dari daftar."),
}
MISMATCH = {
    "regency": _("Kabupaten/kota ini tidak berada di provinsi yang dipilih. Pilih lagi."),
    "district": _("Kecamatan ini tidak berada di kabupaten/kota yang dipilih. Pilih lagi."),
    "village": _("Kelurahan/desa ini tidak berada di kecamatan yang dipilih. Pilih lagi."),
}
POSTAL_MISMATCH = _("Kode pos ini bukan kode pos kelurahan/desa yang dipilih.")
PARENT_FIRST = {
    "regency": _("Pilih provinsi dulu."),
    "district": _("Pilih kabupaten/kota dulu."),
    "village": _("Pilih kecamatan dulu."),
}


def belongs(code: str, parent: str) -> bool:
    """True when `code` lies directly inside `parent` (by the code alone)."""
    return (
        bool(code and parent)
        and code.startswith(parent + ".")
        and code.count(".") == (parent.count(".") + 1)
    )


@dataclass
class Chain:
    """The options of each level for the codes given, what of them is a valid
    choice (names), and an error per level for a code that is refused."""

    codes: dict[str, str]
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    postal_codes: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.errors and all(self.names.get(level) for level in LEVELS)


CACHE_SECONDS = 24 * 3600
VERSION_KEY = "regions:chain:version"


def _cache_key(level: str, parent: str) -> str:
    # load_regions bumps the version (regions/loader.py), so a reload is seen at once.
    return f"regions:chain:{cache.get_or_set(VERSION_KEY, 1)}:{level}:{parent}"


def _children(wanted: dict[str, str]) -> dict[str, list]:
    """Rows (code, name, postal code) under each parent in `wanted` (level ->
    parent code): from the cache, else all missing levels in ONE query (a
    UNION), so a checkout round costs at most one query for its address."""
    found = {level: cache.get(_cache_key(level, parent)) for level, parent in wanted.items()}
    missing = [level for level, rows in found.items() if rows is None]
    if missing:
        models = {"regency": (Regency, "province_id"), "district": (District, "regency_id")}
        models["village"] = (Village, "district_id")
        parts = []
        for level in missing:
            model, fk = models[level]
            postal = F("postal_code") if model is Village else Value("")
            parts.append(
                model.objects.filter(**{fk: wanted[level]})
                .annotate(level=Value(level), postal=postal)
                .values_list("level", "code", "name", "postal")
                .order_by()
            )
        query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        for level in missing:
            found[level] = []
        for level, code, name, postal in query:
            found[level].append((code, name, postal))
        for level in missing:
            found[level].sort(key=lambda row: row[1])
            cache.set(_cache_key(level, wanted[level]), found[level], CACHE_SECONDS)
    return found


def _wanted(codes: dict[str, str]) -> dict[str, str]:
    """The levels whose options to list: each below a parent of the right shape."""
    wanted = {}
    for level in ("regency", "district", "village"):
        parent = codes[PARENT[level]]
        if not parent or len(parent) != CODE_LENGTHS[PARENT[level]]:
            break
        wanted[level] = parent
    return wanted


def address_chain(codes: dict[str, str]) -> Chain:
    """Lists each level's options under the parent chosen, and checks each
    chosen code: known, and inside its parent. A level below a refused or
    empty one has no options and is not checked (the shopper picks the
    parent first). At most three queries (regencies, districts, villages)."""
    codes = {level: (codes.get(level) or "").strip() for level in LEVELS}
    chain = Chain(codes=codes)
    provinces = sorted(PROVINCES, key=lambda row: row[1])
    chain.options["province"] = provinces
    known = dict(provinces)
    # Fetched together up front (one query at most); a parent that turns out
    # refused below simply has its rows ignored.
    rows_by_level = _children(_wanted(codes)) if codes["province"] in known else {}
    if codes["province"]:
        if codes["province"] in known:
            chain.names["province"] = known[codes["province"]]
        else:
            chain.errors["province"] = UNKNOWN["province"]
    for level in ("regency", "district", "village"):
        parent = PARENT[level]
        parent_code = codes[parent] if chain.names.get(parent) else ""
        rows = (rows_by_level.get(level) or []) if parent_code else []
        chain.options[level] = [(row[0], row[1]) for row in rows]
        code = codes[level]
        if not code:
            continue
        if not parent_code:
            if parent not in chain.errors:
                chain.errors[level] = PARENT_FIRST[level]
            continue
        match = next((row for row in rows if row[0] == code), None)
        if match is not None:
            chain.names[level] = match[1]
            if level == "village":
                chain.postal_codes = [match[2]] if match[2] else []
        elif belongs(code, parent_code):
            chain.errors[level] = UNKNOWN[level]
        else:
            chain.errors[level] = MISMATCH[level]
    return chain


def village_check(*, province: str, regency: str, district: str, village: str, postal_code: str):
    """Placement's own check of a chosen address (one query): the village
    exists, each code lies inside the one above, and the postal code is the
    village's. Returns the Village (with its district, regency and province)
    or raises ValueError with the message."""
    if not (
        belongs(regency, province) and belongs(district, regency) and belongs(village, district)
    ):
        raise ValueError(_("Alamat pengiriman tidak cocok: pilih wilayah dari daftar lagi."))
    found = (
        Village.objects.select_related("district__regency__province").filter(code=village).first()
    )
    if found is None:
        raise ValueError(UNKNOWN["village"])
    if found.postal_code and postal_code != found.postal_code:
        raise ValueError(POSTAL_MISMATCH)
    return found
