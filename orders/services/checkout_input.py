"""What a checkout is given: the contact, the address, each facility's choices
and the cart lines (orders.services.checkout places them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from orders.models import Checkout, Order


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str  # already normalised to +62
    email: str = ""


@dataclass(frozen=True)
class Address:
    # Names as the shopper picked them (the order keeps them as placed) ...
    province: str = ""
    city: str = ""
    district: str = ""
    postal_code: str = ""
    street: str = ""
    village: str = ""
    # ... and the official codes they were picked by (regions/chain.py).
    province_code: str = ""
    regency_code: str = ""
    district_code: str = ""
    village_code: str = ""


@dataclass(frozen=True)
class FacilityChoice:
    delivery_method: str
    payment_method: str
    note: str = ""
    # The courier service the shopper picked, "courier:service:price" as shown
    # (orders/delivery/rates.py); checked again against the rates here.
    courier_option: str = ""


@dataclass(frozen=True)
class PlaceLine:
    product_id: int
    quantity: int
    expected_price: int


@dataclass
class PlaceResult:
    checkout: Checkout
    created: bool
    orders: list[Order] = field(default_factory=list)


def _address_fields(address: Address) -> dict:
    return {
        "province": address.province,
        "city": address.city,
        "district": address.district,
        "village": address.village,
        "postal_code": address.postal_code,
        "street": address.street,
        "region_province_code": address.province_code,
        "region_regency_code": address.regency_code,
        "region_district_code": address.district_code,
        "region_village_code": address.village_code,
    }
