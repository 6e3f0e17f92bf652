"""The Biteship simulator's Order API: create, retrieve, look up by our
reference, cancel; with the faults the real service shows.

- POST /v1/orders creates (and, at Biteship, bills) an order every time it is
  asked: like Biteship it does not refuse a repeated reference_id.
- "Waybill pending": while the fault is on, a new order answers
  `waybill_id: null`; the resi comes with `assign_waybill` (which sends the
  signed `order.waybill_id` webhook) or on a GET /v1/orders/:id once
  `waybill_delay` seconds have passed.
- "Slow after create": the order is created and committed, then the answer
  waits `slow_create` seconds, so a client with a shorter timeout gives up
  on an order that exists.
- GET /v1/orders?reference_id=...: the orders made with that reference (not
  in Biteship's published API; see docs/courier-bookings.md).
- POST /v1/orders/:id/cancel: allowed until the parcel is picked up, as
  Biteship's status table says; a second cancel answers the cancelled order.

Faults live in the cache, so the server, the worker and a test share them.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from gatewaysim.biteship import SERVICES, _api, _error, _link, _postal, _step, price_for
from gatewaysim.biteship import send_webhook as _send_webhook
from gatewaysim.biteship_models import SimShipment

FAULT_KEY = "gatewaysim:biteship:fault:"
FAULTS = ("waybill_pending", "waybill_delay", "slow_create")
# Biteship's table: an order may be cancelled until the courier has the parcel.
CANCELLABLE = {"confirmed", "scheduled", "allocated", "picking_up"}


def fault_set(**faults) -> None:
    """fault_set(waybill_pending=True, waybill_delay=60, slow_create=2.0)."""
    for name, value in faults.items():
        if name not in FAULTS:
            raise ValueError(name)
        cache.set(FAULT_KEY + name, value, 3600)


def fault_clear() -> None:
    cache.delete_many([FAULT_KEY + name for name in FAULTS])


def _fault(name: str, default=None):
    return cache.get(FAULT_KEY + name, default)


def order_body(shipment: SimShipment, message: str = "Order successfully retrieved") -> dict:
    return {
        "success": True,
        "message": message,
        "object": "order",
        "id": shipment.biteship_id,
        "reference_id": shipment.reference_id,
        "courier": {
            "tracking_id": shipment.tracking_id,
            "waybill_id": shipment.waybill_id or None,
            "company": shipment.courier_company,
            "type": shipment.courier_type,
            "link": _link(shipment) or None,
            "history": shipment.history,
        },
        "price": shipment.price,
        "status": shipment.status,
    }


def _new_waybill(company: str) -> str:
    return f"{company.upper()[:3]}{secrets.randbelow(10**10):010d}"


def assign_waybill(shipment: SimShipment, *, post=None, notify: bool = True) -> SimShipment:
    """The courier gives the resi: stored, and the order.waybill_id webhook
    sent (through `post` in tests, see send_webhook)."""
    if not shipment.waybill_id:
        shipment.waybill_id = _new_waybill(shipment.courier_company)
        shipment.save(update_fields=["waybill_id"])
        if notify:
            _send_webhook(shipment, post=post, event="order.waybill_id")
    return shipment


@_api
@require_http_methods(["GET", "POST"])
def orders(request):
    if request.method == "GET":
        return _by_reference(request)
    try:
        data = json.loads(request.body)
        reference = str(data.get("reference_id") or "")[:64]
        origin = _postal(data["origin_postal_code"])
        destination = _postal(data["destination_postal_code"])
        company, kind = str(data["courier_company"]), str(data["courier_type"])
        weight = sum(int(i["weight"]) * int(i.get("quantity") or 1) for i in data["items"])
        for name in (
            "destination_contact_name",
            "destination_contact_phone",
            "destination_address",
        ):
            if not data.get(name):
                raise KeyError(name)
    except (ValueError, KeyError, TypeError):
        return _error(400, 40002001, "Invalid order request")
    service = next((s for s in SERVICES if s[0] == company and s[2] == kind), None)
    if service is None:
        return _error(400, 40002020, "Courier service not available")
    with transaction.atomic():
        shipment = SimShipment.objects.create(
            biteship_id=secrets.token_hex(12),
            reference_id=reference,
            tracking_id=secrets.token_hex(12),
            waybill_id=None if _fault("waybill_pending") else _new_waybill(company),
            courier_company=company,
            courier_type=kind,
            price=price_for(service, weight, origin, destination),
            history=[_step("confirmed")],
        )
    slow = float(_fault("slow_create") or 0)
    if slow:
        time.sleep(slow)  # created and committed: the caller may stop waiting
    return JsonResponse(order_body(shipment, "Order successfully created"))


def _by_reference(request):
    reference = request.GET.get("reference_id", "")
    if not reference:
        return _error(400, 40002001, "reference_id is required")
    found = SimShipment.objects.filter(reference_id=reference).order_by("created_at", "pk")
    return JsonResponse(
        {"success": True, "object": "order", "orders": [order_body(s) for s in found]}
    )


@_api
@require_http_methods(["GET"])
def order(request, order_id):
    shipment = SimShipment.objects.filter(biteship_id=order_id).first()
    if shipment is None:
        return _error(404, 40002004, "Order not found")
    delay = timedelta(seconds=float(_fault("waybill_delay") or 0))
    if not shipment.waybill_id and timezone.now() - shipment.created_at >= delay:
        # The courier's resi is known by now; Biteship also sends the webhook.
        assign_waybill(shipment, notify=False)
    return JsonResponse(order_body(shipment))


@_api
@require_http_methods(["POST"])
def cancel(request, order_id):
    shipment = SimShipment.objects.filter(biteship_id=order_id).first()
    if shipment is None:
        return _error(404, 40002004, "Order not found")
    try:
        data = json.loads(request.body or b"{}")
        reason = str(data.get("cancellation_reason") or "").strip()
    except (ValueError, AttributeError):
        reason = ""
    if not reason:
        return _error(400, 40002030, "cancellation_reason is required")
    if shipment.status != "cancelled":
        if shipment.status not in CANCELLABLE:
            return _error(400, 40002031, f"Order cannot be cancelled ({shipment.status})")
        shipment.status = "cancelled"
        shipment.cancellation_reason = reason[:300]
        shipment.history = [*shipment.history, _step("cancelled")]
        shipment.save(update_fields=["status", "cancellation_reason", "history"])
    return JsonResponse(order_body(shipment, "Order successfully cancelled"))
