"""Biteship's tracking webhook and the shipping estimate on product pages (the
printable parcel label is a document: orders.documents.views)."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from orders.delivery import shipments
from shipping import biteship


@csrf_exempt
@require_POST
def biteship_webhook(request):
    """order.status / order.waybill_id events. Without the configured secret
    header -> 403 (nothing stored); a replay stores nothing twice (a unique
    event row). An empty body is Biteship's installation ping -> 200."""
    if not biteship.verify_webhook(request.headers):
        return JsonResponse({"status": "invalid secret"}, status=403)
    if not request.body.strip():
        return JsonResponse({"status": "ok"})
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"status": "bad request"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"status": "bad request"}, status=400)
    known = shipments.tracking_webhook_record(payload)
    # Unknown parcels answer 200 too, so Biteship stops retrying them.
    return JsonResponse({"status": "ok" if known else "ignored"})


# The remembered destination: a province code ("31") chosen on a product page,
# or the village code ("31.74.01.1002") of the shopper's last courier order.
# Codes, never names: a name cookie from before the regions is ignored.
ESTIMATE_COOKIE = "kb_ongkir_wilayah"
ESTIMATE_COOKIE_AGE = 180 * 24 * 3600


def remembered_destination(request) -> tuple[str, str]:
    """(province code, village code or "") from the cookie, when valid."""
    from orders.delivery import fees as table
    from regions.chain import belongs

    raw = request.COOKIES.get(ESTIMATE_COOKIE, "")
    province = raw[:2]
    if not table.is_province_code(province):
        return "", ""
    village = raw if len(raw) == 13 and belongs(raw[:13], raw[:8]) else ""
    return province, village


def remember_destination(response, code: str) -> None:
    response.set_cookie(
        ESTIMATE_COOKIE, code, max_age=ESTIMATE_COOKIE_AGE, samesite="Lax", httponly=True
    )


def shipping_estimate(request, pk: int):
    """ "Ongkir ke <provinsi> mulai Rp ..." for one product (one piece) from its
    facility. The province (a Kemendagri code) comes from the form, else the
    remembered cookie (to the remembered village's postal code when it is
    one); the product page itself stays a cacheable public page (the form
    posts here, and static/js/shipping_estimate.js fills the answer in place)."""
    from catalog.models import Product
    from facilities import provinces
    from orders import selectors
    from orders.delivery import fees as table
    from regions.models import Village

    product = get_object_or_404(
        Product.objects.select_related("facility"), pk=pk, status="approved"
    )
    asked = request.GET.get("provinsi", "")
    if table.is_province_code(asked):
        province, village = asked, ""
    else:
        asked = ""
        province, village = remembered_destination(request)
    postal_code = ""
    if village and village.startswith(province + "."):
        postal_code = (
            Village.objects.filter(code=village).values_list("postal_code", flat=True).first() or ""
        )
    estimate = None
    if province and not product.local_only:
        estimate = shipments.product_estimate(
            product,
            province=province,
            postal_code=postal_code,
            village_code=village if postal_code else "",
            delivery_settings=selectors.delivery_settings_for([product.facility_id]).get(
                product.facility_id, table.DEFAULT_SETTINGS
            ),
            rates=selectors.shipping_rates_for([product.facility_id]).get(product.facility_id, []),
        )
    template = (
        "orders/partials/shipping_estimate.html"
        if request.GET.get("fragment")
        else "orders/shipping_estimate_page.html"
    )
    response = render(
        request,
        template,
        {
            "product": product,
            "province": provinces.name_for_code(province),
            "province_code": province,
            "estimate": estimate,
            # To the shopper's own village (the checkout's price, one piece),
            # or only a guess to the province capital: the page says which.
            "exact": bool(postal_code),
            "provinces": table.PROVINCE_CHOICES,
        },
    )
    response["Cache-Control"] = "private, no-store"
    if asked:
        remember_destination(response, asked)
    return response
