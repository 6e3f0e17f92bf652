"""`/wilayah/<code>.json`: the children of a region, for the chained address
choices (the JSON twin of the server round trip). Public, cached a day."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from .selectors import region_children


@require_GET
@cache_page(60 * 60 * 24)
def children(request, code=""):
    rows = region_children(code=code)
    if rows is None:
        raise Http404
    return JsonResponse({"parent": code, "children": rows})
