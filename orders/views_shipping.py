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
