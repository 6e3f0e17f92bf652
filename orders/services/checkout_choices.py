"""A checkout's choices checked against each facility: the delivery and
payment method, the courier price. The address itself is checked in
orders.services.address (below this module: privacy's correction uses it too)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Product
from orders import selectors
from orders.delivery import fees as shipping
from orders.delivery import shipments
from orders.models import DeliveryMethod
from orders.payments.providers import provider_for
from orders.services.address import address_checked
from orders.services.checkout_input import Address, FacilityChoice, PlaceLine
from orders.services.common import OrderError
from shipping.rates import RateAnswer


def _check_choice(facility, products, choice: FacilityChoice, settings, address: Address) -> None:
    method = choice.delivery_method
    if method not in shipping.enabled_methods(settings):
        raise OrderError(
            _("%(facility)s tidak melayani cara pengiriman ini.") % {"facility": facility.name}
        )
    if method not in shipping.offered_methods(settings, products):
        # Enabled but not offered: only the courier for goods that may not travel.
        raise OrderError(
            _(
                "%(names)s tidak bisa dikirim lewat kurir; pilih ambil di showroom atau antar "
                "dalam kota."
            )
            % {"names": ", ".join(shipping.local_only_names(products))}
        )
    if method == DeliveryMethod.LOCAL and not shipping.local_delivery_reaches(
        facility,
        province_code=address.province_code,
        regency_code=address.regency_code,
        city=address.city,
    ):
        raise OrderError(
            shipping.LOCAL_AREA_MESSAGE % {"city": facility.city, "province": facility.province}
        )
    try:
        provider = provider_for(choice.payment_method)
    except KeyError:
        raise OrderError(_("Cara pembayaran tidak dikenal.")) from None
    if not provider.is_available(settings, method):
        raise OrderError(
            _("%(facility)s tidak menerima cara pembayaran ini untuk pengiriman yang dipilih.")
            % {"facility": facility.name}
        )


@dataclass(frozen=True)
class PricedCourier:
    """A facility's courier options as asked before any lock, and the parcel
    weight they were asked for."""

    answer: RateAnswer
    weight: int


RATES_MISSING = gettext_lazy(
    "Ongkir kurir untuk %(facility)s belum bisa dipastikan. Muat ulang halaman checkout, "
    "periksa pilihan kurir, lalu kirim ulang."
)


def courier_answers_unlocked(
    lines: list[PlaceLine], choices: dict[int, FacilityChoice], address: Address
) -> dict[int, PricedCourier]:
    """The courier rates each courier choice needs, asked BEFORE order_place
    takes its row locks: a rates call may go out to the aggregator (a cache
    miss), and no outside call runs under a lock. The products are read
    without locking; under the lock `_courier_option` uses an answer only
    for the same parcel weight. Anything refused here is left for the locked
    checks to report, in their usual order."""
    courier_ids = {fid for fid, c in choices.items() if c.delivery_method == DeliveryMethod.COURIER}
    if not courier_ids or not lines:
        return {}
    try:
        checked = address_checked(address)
    except OrderError:
        return {}
    wanted = {line.product_id: line for line in lines}
    by_facility: dict[int, list[Product]] = {}
    for product in Product.objects.filter(
        pk__in=wanted, facility_id__in=courier_ids
    ).select_related("facility"):
        by_facility.setdefault(product.facility_id, []).append(product)
    settings_by_facility = selectors.delivery_settings_for(by_facility)
    rates_by_facility = selectors.shipping_rates_for(by_facility)
    answers = {}
    for facility_id, products in by_facility.items():
        weight = sum(p.weight_grams * wanted[p.pk].quantity for p in products)
        answers[facility_id] = PricedCourier(
            answer=shipments.courier_answer(
                products[0].facility,
                settings_by_facility.get(facility_id, shipping.DEFAULT_SETTINGS),
                rates_by_facility.get(facility_id, []),
                province=checked.province_code,
                postal_code=checked.postal_code,
                weight_grams=weight,
                value=sum(p.price * wanted[p.pk].quantity for p in products),
                village_code=checked.village_code,
            ),
            weight=weight,
        )
    return answers


def _courier_option(facility, choice, priced: PricedCourier | None, *, weight: int):
    """The courier service chosen, checked under the lock against the rates
    asked before it (courier_answers_unlocked): the price the shopper saw
    stands only if it matches. No rates for this parcel (none asked, or the
    weight changed meanwhile) -> OrderError, never a call from here."""
    if priced is None or priced.weight != weight:
        raise OrderError(RATES_MISSING % {"facility": facility.name})
    try:
        return shipments.verified_option(
            priced.answer, choice.courier_option, facility_name=facility.name
        )
    except ValueError as error:
        raise OrderError(str(error)) from None
