from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.phone import normalize_phone


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Nomor HP yang dipakai saat memesan"),
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Isi nomor HP.")},
    )

    def clean_phone(self):
        try:
            return normalize_phone(self.cleaned_data["phone"])
        except ValidationError as exc:
            raise ValidationError(exc.messages[0]) from exc


class CodeForm(forms.Form):
    otp = forms.RegexField(
        label=_("Kode 6 angka"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}
        ),
        error_messages={
            "required": _("Isi kode 6 angka."),
            "invalid": _("Kode terdiri dari 6 angka."),
        },
    )
