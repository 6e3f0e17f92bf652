import re

from .models import District, Province, Regency, Village

CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")


def region_children(*, code=""):
    """Children of `code` as [{"code", "name"[, "postal_code"]}], or None if unknown."""
    if not code:
        return list(Province.objects.order_by("name").values("code", "name"))
    if not CODE_RE.match(code):
        return None
    depth = code.count(".") + 1
    parent_model, model, fk = {
        1: (Province, Regency, "province_id"),
        2: (Regency, District, "regency_id"),
        3: (District, Village, "district_id"),
    }.get(depth, (None, None, None))
    if model is None or not parent_model.objects.filter(code=code).exists():
        return None
    fields = ["code", "name"] + (["postal_code"] if model is Village else [])
    return list(model.objects.filter(**{fk: code}).order_by("name").values(*fields))


SEARCH_MIN = 3
SEARCH_LIMIT = 8


def village_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[dict]:
    """Villages whose name, district or regency holds every word typed ("tebet
    barat", "sukasari bandung"), villages starting with the first word first:
    the address in one choice instead of four. Each row carries the whole
    chain (the codes are prefixes of the village's own) and its postal code."""
    from django.db.models import Case, IntegerField, Q, Value, When

    words = " ".join(str(query or "").split())[:60].split(" ")
    if len("".join(words)) < SEARCH_MIN:
        return []
    match = Q()
    for word in words:
        match &= (
            Q(name__icontains=word)
            | Q(district__name__icontains=word)
            | Q(district__regency__name__icontains=word)
        )
    rows = (
        Village.objects.filter(match)
        .select_related("district__regency__province")
        .annotate(
            first=Case(
                When(name__istartswith=words[0], then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("first", "name", "code")[:limit]
    )
    return [
        {
            "code": v.code,
            "name": v.name,
            "postal_code": v.postal_code,
            "label": ", ".join(
                (
                    v.name,
                    v.district.name,
                    v.district.regency.name,
                    v.district.regency.province.name,
                )
            ),
        }
        for v in rows
    ]
