"""The buyer's forms: the request for a quote, and the change request."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.npwp import clean_npwp
from core.phone import normalize_phone
from orders.delivery.fees import PROVINCES
from orders.limits import MAX_QUANTITY
from quotes.stock import is_over_stock, over_stock_message, ready_date_problem


class QuoteRequestForm(forms.Form):
    """Buyer, delivery and one quantity field per product of the facility
    (`qty_<product id>`, blank = not wanted)."""

    buyer_organisation = forms.CharField(label=_("Instansi/perusahaan"), max_length=160)
    buyer_npwp = forms.CharField(
        label=_("NPWP instansi/perusahaan"),
        max_length=25,
        help_text=_("15 atau 16 angka, misalnya 01.312.166.0-091.000"),
    )
    contact_name = forms.CharField(label=_("Nama kontak"), max_length=120)
    contact_phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"), max_length=20, widget=forms.TextInput({"inputmode": "tel"})
    )
    contact_email = forms.EmailField(label=_("Email (penawaran dikirim ke sini)"))
    province = forms.ChoiceField(label=_("Provinsi tujuan"))
    city = forms.CharField(label=_("Kota/kabupaten"), max_length=80)
    street = forms.CharField(label=_("Alamat pengiriman"), max_length=255)
    needed_by = forms.DateField(
        label=_("Dibutuhkan paling lambat"),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    # Asked for (shown, and required) only when a quantity is over stock.
    ready_by = forms.DateField(
        label=_("Siap dikirim tanggal"),
        required=False,
        help_text=_("Tanggal paling cepat yang Anda terima bila UPT perlu membuat sisanya."),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label=_("Catatan (spesifikasi, ukuran, warna)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = products
        self.over_stock = []  # products whose quantity is over stock (quotes.stock)
        self.fields["province"].choices = [("", _("— pilih provinsi —"))] + [
            (p, p) for p in PROVINCES
        ]
        for product in products:
            self.fields[f"qty_{product.pk}"] = forms.IntegerField(
                label=f"{product.name} ({product.get_unit_display()})",
                required=False,
                min_value=1,
                max_value=MAX_QUANTITY,
                widget=forms.NumberInput({"inputmode": "numeric", "min": 1}),
            )

    def quantity_fields(self):
        return [(p, self[f"qty_{p.pk}"]) for p in self.products]

    def detail_fields(self):
        return [
            self[name] for name in self.fields if not name.startswith("qty_") and name != "ready_by"
        ]

    def asks_ready_date(self) -> bool:
        """Show "Siap dikirim tanggal": a quantity was over stock (or it was filled)."""
        return bool(self.over_stock or self.data.get("ready_by"))

    def clean_buyer_npwp(self):
        return clean_npwp(self.cleaned_data["buyer_npwp"])

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data["contact_phone"])

    def clean_needed_by(self):
        value = self.cleaned_data["needed_by"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(_("Pilih tanggal setelah hari ini."))
        if value > today + timedelta(days=settings.QUOTE_MAX_LEAD_DAYS):
            raise forms.ValidationError(_("Pilih tanggal dalam satu tahun ke depan."))
        return value

    def clean(self):
        data = super().clean()
        if not self.items():
            raise forms.ValidationError(_("Isi jumlah untuk sedikitnya satu produk."))
        for product in self.products:
            quantity = data.get(f"qty_{product.pk}")
            if quantity and quantity < product.min_order_quantity:
                self.add_error(
                    f"qty_{product.pk}",
                    _("Minimal pembelian %(min)s %(unit)s.")
                    % {"min": product.min_order_quantity, "unit": product.get_unit_display()},
                )
            elif quantity and is_over_stock(product, quantity):
                self.over_stock.append(product)
                if not data.get("ready_by"):  # a warning until a ready date is given
                    self.add_error(f"qty_{product.pk}", over_stock_message(product, quantity))
        problem = ready_date_problem(
            data.get("ready_by"), needed=bool(self.over_stock), latest=data.get("needed_by")
        )
        if problem and "ready_by" not in self.errors:
            self.add_error("ready_by", problem)
        return data

    def items(self) -> list[tuple[int, int]]:
        data = getattr(self, "cleaned_data", {})
        return [(p.pk, data[f"qty_{p.pk}"]) for p in self.products if data.get(f"qty_{p.pk}")]

    def error_summary(self) -> list[tuple[str, str]]:
        """Every problem as (text, field id or ""), in page order: shown at the top."""
        summary = [(str(e), "") for e in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            for error in errors:
                summary.append((f"{self.fields[name].label}: {error}", self[name].auto_id))
        return summary


class ChangeRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Perubahan yang diminta"), max_length=2000, widget=forms.Textarea({"rows": 3})
    )
