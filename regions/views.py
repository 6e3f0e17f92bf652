"""`/wilayah/<code>.json`: the children of a region, for the chained address
choices (the JSON twin of the server round trip); `/wilayah/cari.json?q=`:
villages by name, the whole chain in one choice. Public, cached a day."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET

from .selectors import region_children, village_search


@require_GET
@cache_page(60 * 60 * 24)
def children(request, code=""):
    rows = region_children(code=code)
    if rows is None:
        raise Http404
    return JsonResponse({"parent": code, "children": rows})


@require_GET
@cache_page(60 * 60 * 24)
def search(request):
    # cache_page keys on the whole URL, query included: one entry per query.
    return JsonResponse({"results": village_search(request.GET.get("q", ""))})
