"""Courier options for a facility's parcel: the aggregator's rates, else the
facility's own rate table, for the checkout and the product page; the chosen
service checked again at placement (verified_option).

shipping/ knows couriers and parcels; this module knows orders and facilities.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from orders.delivery import fees as table
from orders.models import DeliveryMethod
from shipping import biteship
from shipping.providers import TABLE, Parcel, RateOption
from shipping.rates import RateAnswer, courier_options

# The product page prices "Ongkir ke <province>" before any address is known:
# to the province capital's main postal code, keyed by Kemendagri code. The
# checkout and the booking never use it: they price from the facility's
# origin village to the village the shopper picked.
CAPITAL_POSTAL_CODES = {
    "11": "23111", "12": "20111", "13": "25111", "14": "28111", "21": "29111",
    "15": "36111", "17": "38211", "16": "30111", "19": "33111", "18": "35111",
    "36": "42111", "31": "10110", "32": "40111", "33": "50111", "34": "55111",
    "35": "60111", "51": "80111", "52": "83111", "53": "85111", "61": "78111",
    "62": "73111", "63": "70111", "64": "75111", "65": "77211", "71": "95111",
    "75": "96111", "72": "94111", "76": "91511", "73": "90111", "74": "93111",
    "81": "97111", "82": "97711", "91": "99111", "92": "98311", "96": "98411",
    "94": "98811", "95": "99511", "93": "99611",
}  # fmt: skip

TABLE_COURIER = "upt"
TABLE_SERVICE = "tabel"
PRICE_CHANGED = _(
    "Ongkir %(courier)s untuk %(facility)s berubah atau tidak tersedia lagi. "
    "Periksa pilihan kurir lalu kirim ulang."
)


def origin_postal_code(facility) -> str:
    """The postal code of the facility's origin village (facility_origin_set
    copies it onto the row, so no query); "" when no origin is set, and then
    only the facility's rate table prices its parcels."""
    own = facility.origin_postal_code or ""
    return own if _postal_ok(own) else ""


def _postal_ok(code: str) -> bool:
    return len(code or "") == 5 and code.isdigit()


def table_options(delivery_settings, rates, *, province: str, weight_grams: int) -> list:
    """The facility's own rate table as one option (no estimate it can promise);
    `province` is the destination's Kemendagri code."""
    if not table.is_province_code(province):
        return []
    fee = table.courier_fee(delivery_settings, rates, province, weight_grams).fee
    return [
        RateOption(
            courier_code=TABLE_COURIER,
            courier_name=_("Kurir pilihan UPT"),
            service_code=TABLE_SERVICE,
            service_name=_("Tarif UPT"),
            price=fee,
            etd_min_days=0,
            etd_max_days=0,
            source=TABLE,
        )
    ]


def courier_answer(
    facility,
    delivery_settings,
    rates,
    *,
    province: str,
    postal_code: str,
    weight_grams: int,
    value: int,
    village_code: str = "",
) -> RateAnswer:
    """`village_code` (the destination's, when picked) lets the aggregator be
    asked by area id (shipping/areas.py); the postal codes stay the key."""
    origin = origin_postal_code(facility)
    parcel = (
        Parcel(
            origin_postal_code=origin,
            destination_postal_code=postal_code,
            weight_grams=weight_grams,
            value=value,
            name=facility.name,
            origin_village_code=facility.origin_village_id or "",
            destination_village_code=village_code,
        )
        if _postal_ok(origin) and _postal_ok(postal_code)
        else None
    )
    return courier_options(
        parcel,
        fallback=lambda: table_options(
            delivery_settings, rates, province=province, weight_grams=weight_grams
        ),
    )


def option_label(option: RateOption) -> str:
    from core.money import format_rupiah

    label = f"{option.courier_name} {option.service_name} — {format_rupiah(option.price)}"
    if option.etd_text:
        label += " · " + _("estimasi %(days)s hari") % {"days": option.etd_text}
    return label


def verified_option(answer: RateAnswer, posted_key: str, *, facility_name: str) -> RateOption:
    """The option the shopper posted, if it matches a fresh or cached rate at
    the very price they saw. Raises ValueError with the message otherwise."""
    from shipping.providers import parse_option_key

    parsed = parse_option_key(posted_key)
    if parsed is None:
        if answer.source == TABLE and len(answer.options) == 1 and not posted_key:
            return answer.options[0]  # the table's single fee: nothing to choose
        raise ValueError(_("Pilih layanan kurir untuk %(f)s.") % {"f": facility_name})
    courier, service, price = parsed
    option = answer.find(courier, service)
    if option is None or option.price != price:
        raise ValueError(PRICE_CHANGED % {"courier": courier.upper(), "facility": facility_name})
    return option


def aggregator_offered() -> bool:
    return biteship.is_configured()


def answer_for_group(group, delivery_settings, rates, destination) -> RateAnswer | None:
    """The courier options for one cart group at checkout, to `destination`
    (province code, postal code, village code) as picked so far; None when
    the group cannot go by courier, or until the village is picked."""
    if DeliveryMethod.COURIER not in table.enabled_methods(delivery_settings):
        return None
    if group.local_only_names:
        return None
    province, postal_code, *village = destination
    if not _postal_ok(postal_code):
        # One price per parcel: none until the village (its postal code) is
        # known, rather than a province guess that changes at the village.
        return None
    return courier_answer(
        group.facility,
        delivery_settings,
        rates,
        province=province,
        postal_code=postal_code,
        village_code=village[0] if village else "",
        weight_grams=group.weight_grams,
        value=group.subtotal,
    )


def product_estimate(
    product, *, province: str, delivery_settings, rates, postal_code: str = "", village_code=""
):
    """The cheapest courier option for one piece of `product` to the province
    with code `province` (the product page's "mulai Rp ..."): to
    `postal_code` when the shopper's village is remembered, else to the
    province capital. Says whose rates it is."""
    if DeliveryMethod.COURIER not in table.enabled_methods(delivery_settings):
        return None
    answer = courier_answer(
        product.facility,
        delivery_settings,
        rates,
        province=province,
        postal_code=postal_code or CAPITAL_POSTAL_CODES.get(province, ""),
        village_code=village_code if postal_code else "",
        weight_grams=product.weight_grams,
        value=product.price,
    )
    if not answer.options:
        return None
    cheapest = min(answer.options, key=lambda o: o.price)
    return {"option": cheapest, "from_aggregator": answer.from_aggregator}
