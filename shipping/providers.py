"""The small interface every courier provider speaks (today: Biteship)."""

from __future__ import annotations

from dataclasses import dataclass, field

AGGREGATOR = "aggregator"
TABLE = "table"


class ShippingError(Exception):
    """The aggregator could not be reached, timed out, or refused the request."""

    def __init__(self, message: str, *, status: int = 0, body: dict | None = None):
        super().__init__(message)
        self.status = status
        self.body = body or {}


@dataclass(frozen=True)
class RateOption:
    courier_code: str
    courier_name: str
    service_code: str
    service_name: str
    price: int  # Rupiah
    etd_min_days: int
    etd_max_days: int
    source: str = AGGREGATOR  # AGGREGATOR | TABLE

    @property
    def key(self) -> str:
        """What a form posts: courier, service and the price the shopper saw."""
        return f"{self.courier_code}:{self.service_code}:{self.price}"

    @property
    def etd_text(self) -> str:
        if not self.etd_max_days:
            return ""
        if self.etd_min_days == self.etd_max_days:
            return f"{self.etd_min_days}"
        return f"{self.etd_min_days}-{self.etd_max_days}"

    def as_dict(self) -> dict:
        return {
            "courier_code": self.courier_code,
            "courier_name": self.courier_name,
            "service_code": self.service_code,
            "service_name": self.service_name,
            "price": self.price,
            "etd_min_days": self.etd_min_days,
            "etd_max_days": self.etd_max_days,
            "source": self.source,
        }


def parse_option_key(raw: str) -> tuple[str, str, int] | None:
    parts = (raw or "").split(":")
    if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2].isdigit():
        return None
    return parts[0], parts[1], int(parts[2])


@dataclass(frozen=True)
class Parcel:
    origin_postal_code: str
    destination_postal_code: str
    weight_grams: int
    value: int  # Rupiah, for insurance and the aggregator's item list
    name: str = "Paket"
    # Kemendagri village codes of both ends, when known: shipping/areas.py
    # turns them into the aggregator's area ids (postal codes stay the fallback).
    origin_village_code: str = ""
    destination_village_code: str = ""
    origin_area_id: str = ""
    destination_area_id: str = ""


@dataclass(frozen=True)
class Booking:
    provider_order_id: str
    tracking_id: str
    waybill_id: str
    courier_code: str
    service_code: str
    status: str
    tracking_link: str
    price: int
    raw: dict = field(default_factory=dict)
    reference_id: str = ""


@dataclass(frozen=True)
class TrackingStep:
    status: str
    note: str
    updated_at: str  # ISO 8601 as the aggregator wrote it


@dataclass(frozen=True)
class Tracking:
    waybill_id: str
    courier_code: str
    status: str
    link: str
    history: list[TrackingStep]
