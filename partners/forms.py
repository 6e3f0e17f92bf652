"""The partner desk's forms: what an outlet reports from its phone, a payment
with its proof, a packaging house's proposal. Each carries an idempotency key
made when the form is shown, so a double tap sends one report."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import OutletProduct
from core.money import MAX_ORDER_TOTAL, MAX_UNIT_AMOUNT


def new_key() -> str:
    return uuid.uuid4().hex


class KeyedForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].initial = new_key()


class ProductChoice(forms.ModelChoiceField):
    def label_from_instance(self, link):
        return _("%(name)s (dipegang %(n)s)") % {"name": link.product.name, "n": link.on_hand}


class OutletReportForm(KeyedForm):
    """A sale (with a price per piece) or a return of one product."""

    link = ProductChoice(queryset=OutletProduct.objects.none(), label=_("Produk"))
    quantity = forms.IntegerField(label=_("Jumlah"), min_value=1, max_value=10_000)
    unit_price = forms.IntegerField(
        label=_("Harga per buah (Rp)"), min_value=1, max_value=MAX_UNIT_AMOUNT
    )
    occurred_on = forms.DateField(
        label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, outlet, selling: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["link"].queryset = (
            OutletProduct.objects.filter(outlet=outlet, on_hand__gt=0)
            .select_related("product")
            .order_by("product__name")
        )
        self.fields["occurred_on"].initial = timezone.localdate()
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"
        if selling:
            self.fields["unit_price"].widget.attrs["inputmode"] = "numeric"
            self.fields["unit_price"].help_text = _("Harga yang dibayar pembeli di toko Anda.")
        else:
            del self.fields["unit_price"]

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal tidak boleh di masa depan."))
        return day


class PaymentForm(KeyedForm):
    month = forms.DateField(
        label=_("Untuk penjualan bulan"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    amount = forms.IntegerField(label=_("Jumlah (Rp)"), min_value=1, max_value=MAX_ORDER_TOTAL)
    paid_on = forms.DateField(
        label=_("Tanggal bayar"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    proof = forms.ImageField(
        label=_("Foto bukti transfer"), help_text=_("JPEG, PNG atau WebP."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["month"].initial = today.replace(day=1)
        self.fields["paid_on"].initial = today
        self.fields["amount"].widget.attrs["inputmode"] = "numeric"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultiplePhotoField, self).clean(one, initial) for one in data]
        return [super().clean(data, initial)] if data else []


class ProposalForm(KeyedForm):
    text = forms.CharField(label=_("Usulan"), widget=forms.Textarea(attrs={"rows": 4}))
    price = forms.IntegerField(
        label=_("Biaya (Rp)"), min_value=0, max_value=MAX_UNIT_AMOUNT, required=False
    )
    photos = MultiplePhotoField(label=_("Foto kemasan baru (maks. 4)"), required=False)
    net_content = forms.CharField(label=_("Berat/isi bersih"), max_length=40, required=False)
    composition = forms.CharField(
        label=_("Komposisi"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    food_registration = forms.CharField(label=_("Nomor P-IRT/BPOM"), max_length=60, required=False)
    halal_certificate = forms.CharField(
        label=_("Nomor sertifikat halal"), max_length=60, required=False
    )
