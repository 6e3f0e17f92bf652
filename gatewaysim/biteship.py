"""A local stand-in for Biteship's API: same paths, same JSON, the API key in
the Authorization header, and webhooks sent with the configured secret header.

Answers only while settings.BITESHIP_SIMULATOR is on (DEBUG without a real
key); otherwise every path is a 404. Prices grow with the weight (per started
kilogram) and the distance (how far apart the postal codes' first two digits
are); each service has its own estimate range. Moving a parcel on
(picked up, in transit, delivered) is a button on
/_simulator/biteship/lacak/<waybill>/ or `manage.py simulate_shipment`.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from gatewaysim.biteship_areas import postal_for_area
from gatewaysim.biteship_models import SimShipment
from gatewaysim.switch import enabled_by

log = logging.getLogger(__name__)

# (courier_code, courier_name, service_code, service_name,
#  first kg, per further kg, per distance step, etd min, etd max)
SERVICES = [
    ("jne", "JNE", "reg", "Reguler", 10000, 8000, 2500, 2, 3),
    ("jne", "JNE", "yes", "Yakin Esok Sampai", 18000, 15000, 4000, 1, 1),
    ("jnt", "J&T", "ez", "EZ", 9500, 8000, 2500, 2, 4),
    ("sicepat", "SiCepat", "reg", "Reguler", 9000, 7500, 2500, 2, 3),
    ("sicepat", "SiCepat", "best", "Besok Sampai Tujuan", 16000, 13000, 3500, 1, 1),
    ("pos", "POS Indonesia", "reg", "Pos Reguler", 8000, 7000, 2000, 3, 5),
    ("anteraja", "AnterAja", "reg", "Regular", 9000, 7500, 2500, 2, 4),
]
# Biteship's order statuses, in the order a parcel lives them.
STATUSES = ["confirmed", "allocated", "picking_up", "picked", "dropping_off", "delivered"]
NOTES = {
    "confirmed": "Pesanan kurir dibuat",
    "allocated": "Kurir ditugaskan",
    "picking_up": "Kurir menuju lokasi penjemputan",
    "picked": "Paket sudah dijemput kurir",
    "dropping_off": "Paket dalam perjalanan ke alamat tujuan",
    "delivered": "Paket diterima",
}


_enabled = enabled_by("BITESHIP_SIMULATOR")


def _api(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.headers.get("Authorization", "") != settings.BITESHIP_SIMULATOR_KEY:
            return _error(401, 40000001, "Authorization failed")
        return view(request, *args, **kwargs)

    return _enabled(csrf_exempt(wrapper))


def _error(http: int, code: int, message: str) -> JsonResponse:
    return JsonResponse({"success": False, "error": message, "code": code}, status=http)


def distance_steps(origin: str, destination: str) -> int:
    return abs(int(str(origin)[:2]) - int(str(destination)[:2])) // 5


def price_for(service, weight_grams: int, origin: str, destination: str) -> int:
    first, further, per_step = service[4], service[5], service[6]
    kg = max(1, -(-weight_grams // 1000))
    return first + further * (kg - 1) + per_step * distance_steps(origin, destination)


def _postal(value) -> str:
    text = str(value or "")
    if not (len(text) == 5 and text.isdigit()):
        raise ValueError(text)
    return text


@_api
@require_http_methods(["POST"])
def rates(request):
    try:
        data = json.loads(request.body)
        if data.get("origin_area_id") or data.get("destination_area_id"):
            # By Maps API area ids, as Biteship documents (same prices here).
            origin = postal_for_area(data.get("origin_area_id"))
            destination = postal_for_area(data.get("destination_area_id"))
        else:
            origin = _postal(data["origin_postal_code"])
            destination = _postal(data["destination_postal_code"])
        couriers = {c.strip() for c in str(data["couriers"]).split(",") if c.strip()}
        weight = sum(int(i["weight"]) * int(i.get("quantity") or 1) for i in data["items"])
    except (ValueError, KeyError, TypeError):
        return _error(400, 40001001, "Invalid request: origin, destination, couriers, items")
    pricing = [
        {
            "available_for_cash_on_delivery": False,
            "available_for_insurance": True,
            "company": s[0],
            "courier_name": s[1],
            "courier_code": s[0],
            "courier_service_name": s[3],
            "courier_service_code": s[2],
            "currency": "IDR",
            "description": f"{s[1]} {s[3]}",
            "duration": f"{s[7]} - {s[8]} days" if s[7] != s[8] else f"{s[7]} days",
            "shipment_duration_range": f"{s[7]} - {s[8]}" if s[7] != s[8] else f"{s[7]}",
            "shipment_duration_unit": "days",
            "service_type": "standard",
            "shipping_type": "parcel",
            "price": price_for(s, weight, origin, destination),
            "type": s[2],
        }
        for s in SERVICES
        if s[0] in couriers
    ]
    return JsonResponse(
        {
            "success": True,
            "object": "courier_pricing",
            "message": "Success to retrieve courier pricing",
            "code": 20001003,
            "origin": {"postal_code": int(origin), "area_id": data.get("origin_area_id") or ""},
            "destination": {
                "postal_code": int(destination),
                "area_id": data.get("destination_area_id") or "",
            },
            "pricing": pricing,
        }
    )


def _link(shipment: SimShipment) -> str:
    if not shipment.waybill_id:
        return ""  # Biteship's link comes with the resi
    return settings.SITE_URL + reverse("biteshipsim:page", args=[shipment.waybill_id])


def _step(status: str) -> dict:
    return {
        "note": NOTES.get(status, status),
        "status": status,
        "updated_at": timezone.now().isoformat(timespec="seconds"),
    }


def _tracking_body(shipment: SimShipment) -> dict:
    return {
        "success": True,
        "object": "tracking",
        "id": shipment.tracking_id,
        "waybill_id": shipment.waybill_id,
        "courier": {"company": shipment.courier_company},
        "link": _link(shipment),
        "order_id": shipment.biteship_id,
        "history": shipment.history,
        "status": shipment.status,
    }


@_api
@require_http_methods(["GET"])
def tracking(request, tracking_id):
    shipment = SimShipment.objects.filter(tracking_id=tracking_id).first()
    if shipment is None:
        return _error(404, 40003001, "Tracking not found")
    return JsonResponse(_tracking_body(shipment))


@_api
@require_http_methods(["GET"])
def public_tracking(request, waybill_id, courier):
    shipment = SimShipment.objects.filter(waybill_id=waybill_id, courier_company=courier).first()
    if shipment is None:
        return _error(404, 40003001, "Tracking not found")
    return JsonResponse(_tracking_body(shipment))


def webhook_payload(shipment: SimShipment, event: str = "order.status") -> dict:
    return {
        "event": event,
        "courier_tracking_id": shipment.tracking_id,
        "courier_waybill_id": shipment.waybill_id,
        "courier_company": shipment.courier_company,
        "courier_type": shipment.courier_type,
        "courier_link": _link(shipment),
        "order_id": shipment.biteship_id,
        "order_price": shipment.price,
        "status": shipment.status,
        "updated_at": shipment.history[-1]["updated_at"] if shipment.history else "",
    }


def advance(shipment: SimShipment, status: str | None = None) -> SimShipment:
    """Moves the parcel to `status` (default: the next one) and records it."""
    if status is None:
        index = STATUSES.index(shipment.status) if shipment.status in STATUSES else -1
        status = STATUSES[min(index + 1, len(STATUSES) - 1)]
    shipment.status = status
    shipment.history = [*shipment.history, _step(status)]
    shipment.save(update_fields=["status", "history"])
    return shipment


def send_webhook(
    shipment: SimShipment, url: str | None = None, *, post=None, event: str = "order.status"
) -> int:
    """POSTs the event (order.status, order.waybill_id) the way Biteship does;
    returns the HTTP status. `post(url, body, headers)` replaces the network
    (tests use the test client)."""
    url = url or settings.SITE_URL + reverse("orders:biteship_webhook")
    body = json.dumps(webhook_payload(shipment, event)).encode()
    headers = {
        "Content-Type": "application/json",
        settings.BITESHIP_WEBHOOK_HEADER: settings.BITESHIP_WEBHOOK_SECRET,
    }
    if post is not None:
        return post(url, body, headers)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        log.warning("biteship simulator: webhook to %s failed: %s", url, error)
        return 0


@_enabled
@csrf_exempt
@require_http_methods(["GET", "POST"])
def page(request, waybill_id):
    """The simulator's courier tracking page, with a button to move the parcel on."""
    shipment = SimShipment.objects.filter(waybill_id=waybill_id).first()
    if shipment is None:
        raise Http404
    if request.method == "POST":
        advance(shipment)
        send_webhook(shipment)
    rows = "".join(
        f"<li>{escape(h['updated_at'])} — {escape(h['note'])}</li>" for h in shipment.history
    )
    button = (
        ""
        if shipment.status == "delivered"
        else '<form method="post"><button>Majukan status paket</button></form>'
    )
    return HttpResponse(
        "<!doctype html><meta name=viewport content='width=device-width'>"
        f"<title>Simulator Biteship</title><h1>{escape(shipment.waybill_id)}</h1>"
        f"<p>{escape(shipment.courier_company.upper())} — {escape(shipment.status)}</p>"
        f"<ol>{rows}</ol>{button}"
    )
