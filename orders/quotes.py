"""What a checkout will cost before it is placed: each facility's shipping fee
and the grand total for the delivery choices made so far.

Pure arithmetic over the cart snapshot and the facilities' delivery settings
(both already read by the caller), so the checkout page, its no-JavaScript
"update" submit and the fragment the page's script fetches all show the same
figures, and `order_place` charges what was shown: the fee itself comes from
`shipping.delivery_fee`, the one place that prices a delivery.
"""

from __future__ import annotations

from dataclasses import dataclass

from orders.cart import CartSnapshot, FacilityGroup
from orders.delivery import fees as shipping
from orders.models import DeliveryMethod, DeliverySettings, ShippingRate


def offered_methods(group: FacilityGroup, settings: DeliverySettings) -> list[str]:
    """The delivery methods this facility offers for this part of the cart:
    its enabled ones, without the courier when a product may not travel."""
    return shipping.offered_methods(settings, [line.product for line in group.lines])


@dataclass(frozen=True)
class FacilityQuote:
    group: FacilityGroup
    delivery_method: str  # "" while none is chosen
    # None while it cannot be known yet: no method chosen, or a courier
    # without a destination province.
    shipping_fee: int | None

    @property
    def facility(self):
        return self.group.facility

    @property
    def subtotal(self) -> int:
        return self.group.subtotal

    @property
    def total(self) -> int | None:
        return None if self.shipping_fee is None else self.subtotal + self.shipping_fee

    @property
    def needs_address(self) -> bool:
        """A courier is chosen and its price waits for the village."""
        return self.delivery_method == DeliveryMethod.COURIER and self.shipping_fee is None

    needs_province = needs_address  # the name before prices waited for the village


@dataclass(frozen=True)
class CheckoutQuote:
    rows: list[FacilityQuote]

    @property
    def product_total(self) -> int:
        return sum(row.subtotal for row in self.rows)

    @property
    def complete(self) -> bool:
        return all(row.shipping_fee is not None for row in self.rows)

    @property
    def shipping_total(self) -> int | None:
        if not self.complete:
            return None
        return sum(row.shipping_fee for row in self.rows)

    @property
    def grand_total(self) -> int | None:
        shipping_total = self.shipping_total
        return None if shipping_total is None else self.product_total + shipping_total

    def row_for(self, facility_id: int) -> FacilityQuote | None:
        return next((r for r in self.rows if r.facility.pk == facility_id), None)


def checkout_quote(
    *,
    snapshot: CartSnapshot,
    methods: dict[int, str],
    province: str,
    settings: dict[int, DeliverySettings],
    rates: dict[int, list[ShippingRate]],
    courier_fees: dict[int, int] | None = None,
) -> CheckoutQuote:
    """Quote every facility's part of `snapshot` for the chosen delivery
    `methods` (facility id -> method) to the province with Kemendagri code `province`.

    A method the facility does not offer for this cart counts as not chosen,
    so a tampered choice never prices anything; an unknown province counts
    as none. Reads nothing from the database.
    """
    if not shipping.is_province_code(province):
        province = ""
    rows = []
    for group in snapshot.groups:
        facility_id = group.facility.pk
        facility_settings = settings.get(facility_id, shipping.DEFAULT_SETTINGS)
        method = methods.get(facility_id) or ""
        if method not in offered_methods(group, facility_settings):
            method = ""
        fee = None
        if method == DeliveryMethod.COURIER:
            # The courier service picked (orders/delivery/rates.py), priced to
            # the village: no fee until then, never a guess from the province.
            fee = (courier_fees or {}).get(facility_id)
        elif method:
            fee = shipping.delivery_fee(
                method,
                settings=facility_settings,
                rates=rates.get(facility_id, []),
                province=province,
                weight_grams=group.weight_grams,
            )
        rows.append(FacilityQuote(group=group, delivery_method=method, shipping_fee=fee))
    return CheckoutQuote(rows=rows)
