"""Delivery options and shipping fees, from a facility's settings and rate table."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from facilities import provinces
from orders.models import DeliveryMethod, DeliverySettings, ShippingRate

# The one province list (facilities/provinces.py), as checkout offers it.
PROVINCES = provinces.NAMES
# (Kemendagri code, name) for the product page's "Cek ongkir ke" choice.
PROVINCE_CHOICES = [(provinces.code_for_name(name), name) for name in provinces.NAMES]

# Used when a facility has no settings row yet: pickup only, the safe default.
DEFAULT_SETTINGS = DeliverySettings(pickup_enabled=True)


@dataclass(frozen=True)
class Quote:
    fee: int
    uses_fallback: bool = False


def billable_kg(weight_grams: int) -> int:
    """Couriers bill whole kilograms, at least one."""
    return max(1, -(-weight_grams // 1000))


def is_province_code(code: str) -> bool:
    return bool(provinces.name_for_code(code))


def courier_fee(
    settings: DeliverySettings, rates: list[ShippingRate], province: str, weight_grams: int
) -> Quote:
    """Fee by weight to the province with Kemendagri code `province`: the
    facility's row for it, else its fallback rate. Rows name their province
    in free text; they are matched by code, so "DI Yogyakarta" and "Daerah
    Istimewa Yogyakarta" are one province."""
    kg = billable_kg(weight_grams)
    for rate in rates:
        if province and provinces.code_for_name(rate.province) == province:
            return Quote(rate.first_kg_fee + rate.next_kg_fee * (kg - 1))
    return Quote(
        settings.courier_fallback_first_kg + settings.courier_fallback_next_kg * (kg - 1),
        uses_fallback=True,
    )


def enabled_methods(settings: DeliverySettings) -> list[str]:
    methods = []
    if settings.pickup_enabled:
        methods.append(DeliveryMethod.PICKUP)
    if settings.local_delivery_enabled:
        methods.append(DeliveryMethod.LOCAL)
    if settings.courier_enabled:
        methods.append(DeliveryMethod.COURIER)
    return methods


def local_only_names(products) -> list[str]:
    """Products that may not travel by courier (fresh food, fragile goods)."""
    return [product.name for product in products if product.local_only]


def offered_methods(settings: DeliverySettings, products) -> list[str]:
    """The delivery methods a facility offers for these products: its enabled
    ones, without the courier when any product may not travel. The one rule
    the checkout page shows and order placement enforces."""
    methods = enabled_methods(settings)
    if local_only_names(products):
        methods = [m for m in methods if m != DeliveryMethod.COURIER]
    return methods


def delivery_fee(
    method: str,
    *,
    settings: DeliverySettings,
    rates: list[ShippingRate],
    province: str,
    weight_grams: int,
) -> int:
    if method == DeliveryMethod.PICKUP:
        return 0
    if method == DeliveryMethod.LOCAL:
        return settings.local_delivery_fee
    return courier_fee(settings, rates, province, weight_grams).fee


def method_label(method: str) -> str:
    return DeliveryMethod(method).label


LOCAL_ONLY_MESSAGE = _("%(name)s hanya bisa diambil di showroom atau diantar dalam kota.")


def local_delivery_reaches(
    facility, *, province_code: str, regency_code: str, city: str = ""
) -> bool:
    """Local delivery goes only to addresses in the facility's own regency/city,
    compared by code (its origin district lies in one): asked by the checkout
    form (to list it with the other errors) and by order_place. A facility
    whose origin district is not set yet falls back to its province code and
    its city's name inside the regency's ("Palembang" in "Kota Palembang")."""
    if facility.origin_district_id:
        return bool(regency_code) and regency_code == facility.origin_district_id[:5]
    own_province = facility.origin_province_id or provinces.code_for_name(facility.province)
    return (
        bool(province_code)
        and province_code == own_province
        and bool(facility.city)
        and facility.city.casefold() in city.casefold()
    )


LOCAL_AREA_MESSAGE = _("Antar dalam kota hanya untuk alamat di %(city)s, %(province)s.")
