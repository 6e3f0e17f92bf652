"""Biteship's documented HTTP API (https://biteship.com/id/docs/api).

- POST /v1/rates/couriers: prices per courier service for origin/destination
  postal codes and a list of items (weight in grams, value in Rupiah); each
  `pricing` row has courier_code, courier_service_code, price and
  shipment_duration_range ("2 - 3") with shipment_duration_unit ("days").
- POST /v1/orders: books the courier (and bills it); the answer carries `id`
  and courier.{tracking_id, waybill_id, link}. `waybill_id` may be null: the
  courier gives the resi later (the `order.waybill_id` webhook, or
  GET /v1/orders/:id). Biteship documents no idempotency header and does not
  refuse a repeated `reference_id`: orders/delivery/bookings.py commits a
  booking row with our reference before calling, saves the id at once, and
  looks the reference up before any retry creates again.
- GET /v1/orders/:id (documented): the order as it is now.
- GET /v1/orders?reference_id=<ours>: NOT in Biteship's published reference
  (which lists POST /v1/orders, GET and POST /v1/orders/:id, POST
  /v1/orders/:id/cancel). We ask it only for a booking whose answer was lost;
  a service that refuses the question (HTTP 400/404/405) gets the booking put
  in front of a person, never a second POST (docs/courier-bookings.md).
- POST /v1/orders/:id/cancel with `cancellation_reason_code` and
  `cancellation_reason` (documented; allowed until the parcel is picked up).
- GET /v1/trackings/<id> and the public GET /v1/trackings/<waybill>/couriers/<code>.
- GET /v1/maps/areas?countries=ID&input=<text>&type=single (Maps API): areas
  with `id`, names and `postal_code`; the rates API takes `origin_area_id` /
  `destination_area_id` from it instead of postal codes (shipping/areas.py
  finds and caches them per village; postal codes remain the fallback).
- Webhooks (order.status, order.waybill_id, order.price): Biteship signs
  nothing; it sends a header name/value the account configures when the
  webhook is installed. We check that secret header (BITESHIP_WEBHOOK_HEADER /
  BITESHIP_WEBHOOK_SECRET) in constant time.

Authorization is the API key itself in the Authorization header. Only the
standard library: one JSON call with a timeout, as orders/payments/midtrans.py does.
"""

from __future__ import annotations

import hmac
import logging
import re
import urllib.parse

from django.conf import settings

from core.json_http import JsonHTTPError, json_request
from shipping.links import safe_link
from shipping.providers import (
    Booking,
    Parcel,
    RateOption,
    ShippingError,
    Tracking,
    TrackingStep,
)

log = logging.getLogger(__name__)

# The couriers offered to shoppers, as Biteship codes them.
DEFAULT_COURIERS = "jne,jnt,sicepat,pos,anteraja"


def is_configured() -> bool:
    """True when rates may come from Biteship (a real key, or the simulator's)."""
    return bool(settings.BITESHIP_API_KEY and settings.BITESHIP_BASE_URL)


def verify_webhook(headers) -> bool:
    secret = settings.BITESHIP_WEBHOOK_SECRET
    if not secret:
        return False
    given = headers.get(settings.BITESHIP_WEBHOOK_HEADER, "")
    return hmac.compare_digest(given.encode(), secret.encode())


def _days(raw: str, unit: str) -> tuple[int, int]:
    numbers = [int(n) for n in re.findall(r"\d+", raw or "")]
    if not numbers:
        return 0, 0
    low, high = min(numbers), max(numbers)
    if (unit or "days").startswith("hour"):
        return (0 if low < 24 else 1), max(1, -(-high // 24))
    return low, high


class BiteshipClient:
    def __init__(self, *, base_url: str | None = None, api_key: str | None = None, timeout=None):
        self.base_url = (base_url or settings.BITESHIP_BASE_URL).rstrip("/")
        self.api_key = api_key or settings.BITESHIP_API_KEY
        self.timeout = timeout or settings.BITESHIP_TIMEOUT_SECONDS

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        try:
            data = json_request(
                self.base_url + path,
                method=method,
                body=body,
                headers={"Authorization": self.api_key},
                timeout=self.timeout,
            )
        except JsonHTTPError as error:
            if error.status is None:
                raise ShippingError(f"{method} {path}: {error}") from None
            raise ShippingError(
                f"{method} {path}: HTTP {error.status} {error.body.get('error', '')}",
                status=error.status,
                body=error.body,
            ) from None
        if not isinstance(data, dict) or data.get("success") is False:
            raise ShippingError(
                f"{method} {path}: refused", body=data if isinstance(data, dict) else {}
            )
        return data

    def areas(self, text: str) -> list[dict]:
        """The Maps API's areas for a search text (single search, Indonesia)."""
        query = urllib.parse.urlencode({"countries": "ID", "input": text, "type": "single"})
        data = self._request("GET", f"/v1/maps/areas?{query}")
        return [a for a in data.get("areas") or [] if isinstance(a, dict) and a.get("id")]

    def rates(self, parcel: Parcel, couriers: str = DEFAULT_COURIERS) -> list[RateOption]:
        if parcel.origin_area_id and parcel.destination_area_id:
            where = {
                "origin_area_id": parcel.origin_area_id,
                "destination_area_id": parcel.destination_area_id,
            }
        else:
            where = {
                "origin_postal_code": int(parcel.origin_postal_code),
                "destination_postal_code": int(parcel.destination_postal_code),
            }
        data = self._request(
            "POST",
            "/v1/rates/couriers",
            {
                **where,
                "couriers": couriers,
                "items": [
                    {
                        "name": parcel.name[:100],
                        "value": parcel.value,
                        "weight": parcel.weight_grams,
                        "quantity": 1,
                    }
                ],
            },
        )
        options = []
        for row in data.get("pricing") or []:
            try:
                low, high = _days(
                    str(row.get("shipment_duration_range") or row.get("duration") or ""),
                    str(row.get("shipment_duration_unit") or "days"),
                )
                options.append(
                    RateOption(
                        courier_code=str(row["courier_code"]),
                        courier_name=str(row.get("courier_name") or row["courier_code"]),
                        service_code=str(row["courier_service_code"]),
                        service_name=str(row.get("courier_service_name") or ""),
                        price=int(row["price"]),
                        etd_min_days=low,
                        etd_max_days=high,
                    )
                )
            except (KeyError, TypeError, ValueError):
                log.warning("biteship: skipped a pricing row %r", row)
        return sorted(options, key=lambda o: (o.price, o.etd_max_days))

    def create_order(
        self,
        *,
        reference_id: str,
        parcel: Parcel,
        courier_code: str,
        service_code: str,
        shipper: dict,
        destination: dict,
    ) -> Booking:
        body = {
            "reference_id": reference_id,
            "shipper_contact_name": shipper["name"],
            "shipper_contact_phone": shipper["phone"],
            "origin_contact_name": shipper["name"],
            "origin_contact_phone": shipper["phone"],
            "origin_address": shipper["address"],
            "origin_postal_code": int(parcel.origin_postal_code),
            "destination_contact_name": destination["name"],
            "destination_contact_phone": destination["phone"],
            "destination_address": destination["address"],
            "destination_postal_code": int(parcel.destination_postal_code),
            "courier_company": courier_code,
            "courier_type": service_code,
            "delivery_type": "now",
            "items": [
                {
                    "name": parcel.name[:100],
                    "value": parcel.value,
                    "weight": parcel.weight_grams,
                    "quantity": 1,
                }
            ],
        }
        return self._booking(self._request("POST", "/v1/orders", body), courier_code, service_code)

    @staticmethod
    def _booking(data: dict, courier_code: str = "", service_code: str = "") -> Booking:
        """An order answer as a Booking. No id -> ShippingError; no waybill yet
        is normal (waybill_id "" until the courier gives it)."""
        courier = data.get("courier") or {}
        if not data.get("id"):
            raise ShippingError("order answer without an id", body=data)
        return Booking(
            provider_order_id=str(data["id"]),
            tracking_id=str(courier.get("tracking_id") or ""),
            waybill_id=str(courier.get("waybill_id") or ""),
            courier_code=str(courier.get("company") or courier_code),
            service_code=str(courier.get("type") or service_code),
            status=str(data.get("status") or ""),
            tracking_link=safe_link(courier.get("link")),
            price=int(data.get("price") or 0),
            raw=data,
            reference_id=str(data.get("reference_id") or ""),
        )

    def order(self, provider_order_id: str) -> Booking:
        """GET /v1/orders/:id: the booking as the aggregator has it now."""
        path = "/v1/orders/" + urllib.parse.quote(provider_order_id, safe="")
        return self._booking(self._request("GET", path))

    def order_by_reference(self, reference_id: str) -> Booking | None:
        """The live order made with our `reference_id`, or None when there is
        none. Raises ShippingError (with the HTTP status when the service
        answered) when it cannot say: the caller must not create then."""
        query = urllib.parse.urlencode({"reference_id": reference_id})
        data = self._request("GET", f"/v1/orders?{query}")
        found = [
            self._booking(row)
            for row in data.get("orders") or []
            if isinstance(row, dict) and str(row.get("reference_id") or "") == reference_id
        ]
        live = [b for b in found if b.status != "cancelled"]
        return (live or found or [None])[0]

    def cancel_order(self, provider_order_id: str, *, reason: str, code: str = "others") -> str:
        """POST /v1/orders/:id/cancel; returns the status the answer gives
        ("cancelled"). Raises ShippingError when refused (e.g. already picked up)."""
        path = "/v1/orders/" + urllib.parse.quote(provider_order_id, safe="") + "/cancel"
        data = self._request(
            "POST",
            path,
            {"cancellation_reason_code": code, "cancellation_reason": reason[:300] or "-"},
        )
        return str(data.get("status") or "cancelled")

    def _tracking(self, data: dict) -> Tracking:
        courier = data.get("courier") or {}
        return Tracking(
            waybill_id=str(data.get("waybill_id") or ""),
            courier_code=str(courier.get("company") or ""),
            status=str(data.get("status") or ""),
            link=safe_link(data.get("link") or courier.get("link")),
            history=[
                TrackingStep(
                    status=str(h.get("status") or ""),
                    note=str(h.get("note") or ""),
                    updated_at=str(h.get("updated_at") or ""),
                )
                for h in data.get("history") or []
                if isinstance(h, dict)
            ],
        )

    def tracking(self, tracking_id: str) -> Tracking:
        return self._tracking(self._request("GET", f"/v1/trackings/{tracking_id}"))

    def public_tracking(self, waybill_id: str, courier_code: str) -> Tracking:
        return self._tracking(
            self._request("GET", f"/v1/trackings/{waybill_id}/couriers/{courier_code}")
        )
