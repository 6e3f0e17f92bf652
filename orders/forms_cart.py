"""Cart forms: which product and how many. Prices never come from a form: the
server reads them from the catalog; forms carry only ids and quantities."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orders.limits import MAX_QUANTITY

QUANTITY_ERRORS = {
    "required": _("Isi jumlahnya."),
    "invalid": _("Jumlah harus berupa angka bulat."),
    "min_value": _("Jumlah minimal %(limit_value)s."),
    "max_value": _("Jumlah paling banyak %(limit_value)s."),
}
PRODUCT_ERRORS = {
    "required": _("Produk tidak dikenal."),
    "invalid": _("Produk tidak dikenal."),
    "min_value": _("Produk tidak dikenal."),
    "max_value": _("Produk tidak dikenal."),
}


class AddToCartForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=2**62, error_messages=PRODUCT_ERRORS)
    quantity = forms.IntegerField(
        min_value=1, max_value=MAX_QUANTITY, error_messages=QUANTITY_ERRORS
    )


class CartUpdateForm(forms.Form):
    product = forms.IntegerField(min_value=1, max_value=2**62, error_messages=PRODUCT_ERRORS)
    quantity = forms.IntegerField(
        min_value=0, max_value=MAX_QUANTITY, error_messages=QUANTITY_ERRORS
    )
