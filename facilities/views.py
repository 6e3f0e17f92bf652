from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.page_cache import public_page
from facilities.filters import FacilityDirectoryFilter
from facilities.selectors import facility_directory


@require_safe
@public_page
def directory(request):
    """All active facilities, filterable by province and kind."""
    filterset = FacilityDirectoryFilter(request.GET or None, queryset=facility_directory())
    return render(
        request,
        "facilities/directory.html",
        {"filter": filterset, "facilities": filterset.qs},
    )


# The storefront (/upt/<slug>/) lists products, so it lives in catalog.views.
