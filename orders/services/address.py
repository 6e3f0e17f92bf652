"""The delivery address checked against the region data: one check for
placing a checkout (orders.services.checkout, checkout_choices) and for the
shopper's privacy correction (orders.privacy.requests). It sits in the order
core, below both, so privacy never imports the checkout."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from facilities import provinces
from orders.services.checkout_input import Address
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
