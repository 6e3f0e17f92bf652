"""The simulator's Maps API: GET /v1/maps/areas?countries=ID&input=<text>&type=single,
answered from the Kemendagri regions loaded here. An area is a district with
one postal code (as Biteship's are), its id shaped like Biteship's
("IDNP31IDNC74IDND01IDZ12810"); the simulator's rates read the postal code
back from the id, so prices by area id equal prices by postal code."""

from __future__ import annotations

import re

from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from gatewaysim.biteship import _api, _error
from gatewaysim.biteship_areas import area_id
from regions.models import Village

MAX_AREAS = 10


def _matches(text: str):
    villages = Village.objects.select_related("district__regency__province")
    postal = re.search(r"\b\d{5}\b", text)
    if postal:
        return villages.filter(postal_code=postal.group(0))
    first = text.split(",")[0].strip()
    return villages.filter(district__name__iexact=first) if first else villages.none()


@_api
@require_http_methods(["GET"])
def areas(request):
    text = request.GET.get("input", "").strip()
    if request.GET.get("countries", "ID") != "ID" or len(text) < 3:
        return _error(400, 40002001, "Invalid request: countries=ID and input are required")
    found = {}
    for village in _matches(text).order_by("district_id")[:200]:
        key = (village.district_id, village.postal_code)
        if key in found or not village.postal_code:
            continue
        district = village.district
        regency, province = district.regency, district.regency.province
        found[key] = {
            "id": area_id(district.code, village.postal_code),
            "name": f"{district.name}, {regency.name}, {province.name}. {village.postal_code}",
            "country_name": "Indonesia",
            "country_code": "ID",
            "administrative_division_level_1_name": province.name,
            "administrative_division_level_1_type": "province",
            "administrative_division_level_2_name": regency.name,
            "administrative_division_level_2_type": "city",
            "administrative_division_level_3_name": district.name,
            "administrative_division_level_3_type": "district",
            "postal_code": int(village.postal_code),
        }
        if len(found) >= MAX_AREAS:
            break
    return JsonResponse({"success": True, "areas": list(found.values())})
