from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import MAX_ORDER_TOTAL


class DayCloseForm(forms.Form):
    day = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    cash_counted = forms.IntegerField(
        label=_("Uang tunai dihitung (Rp)"), min_value=0, max_value=MAX_ORDER_TOTAL
    )
    reason = forms.CharField(
        label=_("Alasan selisih"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Nama relawan"), max_length=80)


class ResolveForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Keputusan"),
        choices=[("1", _("Barang memang terjual")), ("0", _("Batalkan penjualan"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Catatan"), max_length=200)


class ReceiptForm(forms.Form):
    phone = forms.CharField(label=_("Nomor WhatsApp pembeli"), max_length=20)
