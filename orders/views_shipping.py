"""Biteship's tracking webhook and the printable parcel label."""

from __future__ import annotations

import json

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from facilities.scoping import scope_for
from orders import shipments
from orders.models import Order
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


@staff_member_required
def shipping_label(request, pk: int):
    """A printable label (A6-ish): the resi, courier, sender and recipient."""
    order = get_object_or_404(Order.objects.select_related("facility", "shipment"), pk=pk)
    scope = scope_for(request.user)
    if not (scope.is_national or scope.facility_id == order.facility_id):
        raise Http404
    shipment = getattr(order, "shipment", None)
    if not order.tracking_number and not (shipment and shipment.waybill_id):
        raise Http404
    return render(request, "orders/shipping_label.html", {"order": order, "shipment": shipment})


ESTIMATE_COOKIE = "kb_ongkir_provinsi"


def shipping_estimate(request, pk: int):
    """ "Ongkir ke <provinsi> mulai Rp ..." for one product (one piece) from its
    facility. The province comes from the form, else the remembered cookie;
    the product page itself stays a cacheable public page (the form posts here,
    and static/js/shipping_estimate.js fills the answer in place)."""
    from catalog.models import Product
    from orders import selectors
    from orders import shipping as table

    product = get_object_or_404(
        Product.objects.select_related("facility"), pk=pk, status="approved"
    )
    asked = request.GET.get("provinsi", "")
    province = asked if asked in table.PROVINCES else request.COOKIES.get(ESTIMATE_COOKIE, "")
    if province not in table.PROVINCES:
        province = ""
    estimate = None
    if province and not product.local_only:
        estimate = shipments.product_estimate(
            product,
            province=province,
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
            "province": province,
            "estimate": estimate,
            "provinces": table.PROVINCES,
        },
    )
    response["Cache-Control"] = "private, no-store"
    if asked and asked == province:
        response.set_cookie(
            ESTIMATE_COOKIE, province, max_age=180 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response
