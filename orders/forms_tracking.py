"""Forms of the tracking page: find an order by code and phone, upload a
transfer receipt, cancel."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.phone import normalize_phone
from orders.models import CODE_ALPHABET, CODE_LENGTH


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Kode pesanan"), max_length=20)
    phone = forms.CharField(
        label=_("Nomor HP yang dipakai saat memesan"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean_code(self):
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).upper()
        # A malformed code is answered like a wrong one, not with a hint.
        return code if len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) else ""

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except ValidationError:
            return ""


class ReceiptForm(forms.Form):
    receipt = forms.FileField(
        label=_("Bukti transfer (foto atau PDF, maks. 5 MB)"),
        error_messages={
            "required": _("Pilih berkas bukti transfer."),
            "empty": _("Berkas kosong."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )


class ShopperCancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan (tidak wajib)"), max_length=300, required=False)
