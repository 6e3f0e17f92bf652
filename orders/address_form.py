"""The delivery address as official regions: province > regency/city >
district > village (Kemendagri codes), the postal code from the village, and
the street typed by hand.

Without JavaScript each level has a "Pilih" submit that re-renders the page
with the next level's options (orders.views treats it like "update totals":
nothing is validated or lost); with it, static/js/address.js fills the next
level from /wilayah/<code>.json. Either way the posted codes are checked
here (regions/chain.py: known, and inside the parent chosen) and again when
the order is placed.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from facilities import provinces
from orders.services import Address
from regions.chain import (
    LEVELS,
    PARENT,
    PARENT_FIRST,
    POSTAL_MISMATCH,
    UNKNOWN,
    address_chain,
)

# The submit each level carries for the no-JavaScript round trip.
CHOOSE_ACTION = "region"
# The village search (regions.selectors.village_search): "Cari" lists the
# villages, each a submit "pick:<village code>" that fills the whole chain.
SEARCH_ACTION = "region-search"
PICK_PREFIX = "pick:"
VILLAGE_CODE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


def picked_chain(action: str) -> dict | None:
    """The address levels of a "pick:<village code>" submit (each level's code
    is a prefix of the village's), or None for any other action; the chain
    itself is checked like any posted one."""
    code = action.removeprefix(PICK_PREFIX) if action.startswith(PICK_PREFIX) else ""
    if not VILLAGE_CODE_RE.match(code):
        return None
    return {"province": code[:2], "regency": code[:5], "district": code[:8], "village": code}


PROMPTS = {
    "province": _("— pilih provinsi —"),
    "regency": _("— pilih kabupaten/kota —"),
    "district": _("— pilih kecamatan —"),
    "village": _("— pilih kelurahan/desa —"),
}
WAITING = {
    "regency": _("— pilih provinsi dulu —"),
    "district": _("— pilih kabupaten/kota dulu —"),
    "village": _("— pilih kecamatan dulu —"),
    "postal_code": _("— pilih kelurahan/desa dulu —"),
}


class RegionSelect(forms.Select):
    """A select that says which level it is, and where its children live, for
    the script (data-level, data-child); the choices come from the chain."""

    def __init__(self, level: str, child: str = ""):
        super().__init__(attrs={"data-level": level, "data-child": child, "class": "region-select"})


class AddressForm(forms.Form):
    province = forms.ChoiceField(label=_("Provinsi"), required=False)
    regency = forms.ChoiceField(label=_("Kabupaten/kota"), required=False)
    district = forms.ChoiceField(label=_("Kecamatan"), required=False)
    village = forms.ChoiceField(label=_("Kelurahan/desa"), required=False)
    postal_code = forms.ChoiceField(
        label=_("Kode pos"),
        required=False,
        help_text=_("Terisi dari kelurahan/desa yang dipilih."),
    )
    street = forms.CharField(
        label=_("Alamat jalan"),
        max_length=255,
        required=False,
        help_text=_("Nama jalan, nomor rumah, RT/RW, patokan."),
    )

    # Fields that carry a "Pilih" button (templates/orders/partials/address_fields.html).
    CHAINED = LEVELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        codes = {level: str(source.get(self.add_prefix(level) if self.is_bound else level) or "")
                 for level in LEVELS}  # fmt: skip
        self.chain = address_chain(codes)
        children = dict(zip(LEVELS, (*LEVELS[1:], "postal_code"), strict=True))
        for level in LEVELS:
            field = self.fields[level]
            options = self.chain.options[level]
            prompt = PROMPTS[level] if options or level == "province" else WAITING[level]
            field.choices = [("", prompt), *options]
            field.widget = RegionSelect(level, children[level])
            field.widget.attrs["data-prompt"] = str(PROMPTS[level])
            field.widget.choices = field.choices
            field.error_messages["invalid_choice"] = UNKNOWN[level]
        postal = self.chain.postal_codes
        self.fields["postal_code"].choices = (
            [(code, code) for code in postal] if postal else [("", WAITING["postal_code"])]
        )
        self.fields["postal_code"].widget.attrs.update(
            {"data-level": "postal_code", "data-prompt": str(WAITING["postal_code"])}
        )
        self.fields["postal_code"].error_messages["invalid_choice"] = POSTAL_MISMATCH
        if len(postal) == 1:
            # Filled from the village: one code leaves nothing to choose.
            self.initial["postal_code"] = postal[0]

    def clean(self):
        data = super().clean()
        for level, message in self.chain.errors.items():
            if level not in self.errors:
                self.add_error(level, message)
        postal = data.get("postal_code") or ""
        if not postal and len(self.chain.postal_codes) == 1:
            data["postal_code"] = self.chain.postal_codes[0]
        return data

    def add_error(self, field, error):
        # ChoiceField's own "not one of the choices" is the chain's message.
        if (
            field in LEVELS
            and isinstance(error, ValidationError)
            and getattr(error, "code", "") == "invalid_choice"
        ):
            parent = PARENT.get(field)
            if field not in self.chain.errors and parent and not self.chain.names.get(parent):
                # Refused below a refused parent: the parent is what to fix.
                error = PARENT_FIRST[field]
            else:
                error = self.chain.errors.get(field) or error
        if (
            field == "postal_code"
            and isinstance(error, ValidationError)
            and getattr(error, "code", "") == "invalid_choice"
            and not self.chain.names.get("village")
        ):
            error = _("Pilih kelurahan/desa dulu.")
        super().add_error(field, error)

    def require_all(self) -> None:
        """Delivery needs every field; called when some facility delivers."""
        for name, field in self.fields.items():
            # A field already refused (a mismatched code) keeps its one message.
            if name not in self.errors and not self.cleaned_data.get(name):
                self.add_error(name, _("Wajib diisi untuk pengiriman: %(f)s.") % {"f": field.label})

    def destination(self) -> tuple[str, str, str]:
        """(province code, postal code, village code) picked so far, for
        pricing couriers before the form is valid: the postal code only when
        it is the village's (posted, or the village's only one)."""
        postal = self.chain.postal_codes
        key = self.add_prefix("postal_code") if self.is_bound else "postal_code"
        posted = str((self.data if self.is_bound else self.initial).get(key) or "")
        if posted not in postal:
            posted = postal[0] if len(postal) == 1 else ""
        village = self.chain.codes["village"] if self.chain.names.get("village") else ""
        return self.province_code, posted, village

    @property
    def province_code(self) -> str:
        """The province chosen so far, when it is a known one (for the totals)."""
        return self.chain.codes["province"] if self.chain.names.get("province") else ""

    def to_address(self) -> Address:
        d, names, codes = self.cleaned_data, self.chain.names, self.chain.codes
        return Address(
            province=provinces.name_for_code(codes["province"]) or names.get("province", ""),
            city=names.get("regency", ""),
            district=names.get("district", ""),
            village=names.get("village", ""),
            postal_code=(d.get("postal_code") or "").strip(),
            street=(d.get("street") or "").strip(),
            province_code=codes["province"] if names.get("province") else "",
            regency_code=codes["regency"] if names.get("regency") else "",
            district_code=codes["district"] if names.get("district") else "",
            village_code=codes["village"] if names.get("village") else "",
        )
