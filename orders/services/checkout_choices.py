"""A checkout's choices checked against each facility: the delivery address
(from the region data), the delivery and payment method, the courier price."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from facilities import provinces
from orders import shipments, shipping
from orders.models import DeliveryMethod
from orders.payments import provider_for
from orders.services.checkout_input import Address, FacilityChoice
from orders.services.common import OrderError
from regions import chain


def address_checked(address: Address) -> Address:
    """The delivery address again from the region data (regions/chain.py):
    codes that exist and chain, the village's postal code, and the names as
    the data spells them (never as a form posted them). Raises OrderError.
    Placement and the shopper's privacy correction both store what this returns."""
    missing = [
        name
        for name, value in (
            (_("provinsi"), address.province_code),
            (_("kota/kabupaten"), address.regency_code),
            (_("kecamatan"), address.district_code),
            (_("kelurahan/desa"), address.village_code),
            (_("kode pos"), address.postal_code),
            (_("alamat jalan"), address.street),
        )
        if not value
    ]
    if missing:
        raise OrderError(_("Alamat pengiriman belum lengkap: %(f)s.") % {"f": ", ".join(missing)})
    try:
        village = chain.village_check(
            province=address.province_code,
            regency=address.regency_code,
            district=address.district_code,
            village=address.village_code,
            postal_code=address.postal_code,
        )
    except ValueError as error:
        raise OrderError(str(error)) from None
    district = village.district
    return replace(
        address,
        province=provinces.name_for_code(address.province_code) or district.regency.province.name,
        city=district.regency.name,
        district=district.name,
        village=village.name,
    )


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


def _courier_option(facility, choice, settings, rates, address, *, weight: int, value: int):
    """The courier service chosen, priced again now (cached aggregator rate or
    the facility's table): the price the shopper saw stands only if it matches."""
    answer = shipments.courier_answer(
        facility,
        settings,
        rates,
        province=address.province_code,
        postal_code=address.postal_code,
        weight_grams=weight,
        value=value,
        village_code=address.village_code,
    )
    try:
        return shipments.verified_option(answer, choice.courier_option, facility_name=facility.name)
    except ValueError as error:
        raise OrderError(str(error)) from None
