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
