"""Cart, checkout and tracking forms. Prices never come from a form: the server
reads them from the catalog; forms carry only ids, quantities and choices."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.money import format_rupiah
from marketplace.phone import normalize_phone
from orders import shipping
from orders.cart import MAX_QUANTITY, CartSnapshot
from orders.models import CODE_ALPHABET, CODE_LENGTH, DeliveryMethod, GatewayChannel, PaymentMethod
from orders.payments import PROVIDERS
from orders.services import Address, Contact, FacilityChoice

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


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=120,
        error_messages={"required": _("Isi nama lengkap Anda.")},
    )
    phone = forms.CharField(
        label=_("Nomor HP/WhatsApp"),
        max_length=24,
        error_messages={"required": _("Isi nomor HP Anda.")},
        help_text=_("Dipakai UPT untuk menghubungi Anda dan untuk melacak pesanan."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email (tidak wajib)"),
        required=False,
        error_messages={"invalid": _("Alamat email tidak valid.")},
        help_text=_("Untuk menerima rincian pesanan dan kabar statusnya."),
    )

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def to_contact(self) -> Contact:
        d = self.cleaned_data
        return Contact(name=d["name"].strip(), phone=d["phone"], email=d.get("email", ""))


class AddressForm(forms.Form):
    province = forms.ChoiceField(
        label=_("Provinsi"),
        required=False,
        choices=[("", _("— pilih provinsi —"))] + [(p, p) for p in shipping.PROVINCES],
        error_messages={"invalid_choice": _("Pilih provinsi dari daftar.")},
    )
    city = forms.CharField(label=_("Kota/kabupaten"), max_length=80, required=False)
    district = forms.CharField(label=_("Kecamatan"), max_length=80, required=False)
    postal_code = forms.CharField(label=_("Kode pos"), max_length=5, required=False)
    street = forms.CharField(
        label=_("Alamat jalan"),
        max_length=255,
        required=False,
        help_text=_("Nama jalan, nomor rumah, RT/RW, patokan."),
    )

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if value and not re.fullmatch(r"\d{5}", value):
            raise ValidationError(_("Kode pos terdiri dari 5 angka."))
        return value

    def require_all(self) -> None:
        """Delivery needs every field; called when some facility delivers."""
        for name, field in self.fields.items():
            if not self.cleaned_data.get(name):
                self.add_error(name, _("Wajib diisi untuk pengiriman: %(f)s.") % {"f": field.label})

    def to_address(self) -> Address:
        d = self.cleaned_data
        return Address(**{name: (d.get(name) or "").strip() for name in self.fields})


class FacilityChoiceForm(forms.Form):
    """Delivery and payment for one facility's part of the cart."""

    delivery = forms.ChoiceField(label=_("Pengiriman"), widget=forms.RadioSelect)
    payment = forms.ChoiceField(label=_("Pembayaran"), widget=forms.RadioSelect)
    note = forms.CharField(label=_("Catatan untuk UPT"), max_length=300, required=False)

    def __init__(self, *args, group, settings, rates, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.settings = settings
        self.rates = rates
        methods = shipping.enabled_methods(settings)
        if group.local_only_names:
            methods = [m for m in methods if m != DeliveryMethod.COURIER]
        self.fields["delivery"].choices = [(m, self._method_label(m)) for m in methods]
        self.fields["delivery"].error_messages["invalid_choice"] = _(
            "Pilih cara pengiriman yang tersedia untuk UPT ini."
        )
        self.fields["payment"].choices = [
            (code, provider.label)
            for code, provider in PROVIDERS.items()
            if any(provider.is_available(settings, m) for m in methods)
        ]
        self.fields["payment"].error_messages["invalid_choice"] = _(
            "Pilih cara pembayaran yang tersedia untuk UPT ini."
        )
        if len(methods) == 1:
            self.fields["delivery"].initial = methods[0]
        if len(self.fields["payment"].choices) == 1:
            self.fields["payment"].initial = self.fields["payment"].choices[0][0]

    def _method_label(self, method: str) -> str:
        label = DeliveryMethod(method).label
        if method == DeliveryMethod.PICKUP:
            return _("%(label)s — gratis") % {"label": label}
        if method == DeliveryMethod.LOCAL:
            return _("%(label)s %(city)s — %(fee)s") % {
                "label": label,
                "city": self.group.facility.city,
                "fee": format_rupiah(self.settings.local_delivery_fee),
            }
        return _("%(label)s — menurut berat dan provinsi tujuan") % {"label": label}

    def clean(self):
        data = super().clean()
        delivery, payment = data.get("delivery"), data.get("payment")
        if delivery and payment and not PROVIDERS[payment].is_available(self.settings, delivery):
            self.add_error(
                "payment", _("Bayar saat ambil hanya untuk pesanan yang diambil di showroom.")
            )
        return data

    def to_choice(self) -> FacilityChoice:
        d = self.cleaned_data
        return FacilityChoice(
            delivery_method=d["delivery"], payment_method=d["payment"], note=d.get("note", "")
        )

    def shipping_fee(self, province: str) -> int | None:
        """The fee for the chosen method, or None while it cannot be known yet."""
        method = self.cleaned_data.get("delivery") if hasattr(self, "cleaned_data") else None
        method = method or self.initial.get("delivery") or self.fields["delivery"].initial
        if not method:
            return None
        if method == DeliveryMethod.COURIER and not province:
            return None
        return shipping.delivery_fee(
            method,
            settings=self.settings,
            rates=self.rates,
            province=province,
            weight_grams=self.group.weight_grams,
        )


class GatewayChannelForm(forms.Form):
    """How to pay online, once for the whole checkout (QRIS unless chosen)."""

    channel = forms.ChoiceField(
        label=_("Cara bayar online"),
        choices=GatewayChannel.choices,
        initial=GatewayChannel.QRIS,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Pilih cara bayar online dari daftar.")},
    )

    def clean_channel(self):
        return self.cleaned_data["channel"] or GatewayChannel.QRIS


_IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def posted_idempotency_key(data) -> str:
    """The checkout's idempotency key as the form posted it, or "" when it is
    missing or not one this site issues (a tampered value, NUL bytes
    included, never reaches a query)."""
    raw = (data or {}).get("idempotency_key") or ""
    return raw if _IDEMPOTENCY_KEY.fullmatch(raw) else ""


class CheckoutForm:
    """The whole checkout page: contact, address, one choice form per facility,
    the idempotency key and the cart fingerprint."""

    FACILITY_FIELD = re.compile(r"^f(\d+)-")

    def __init__(self, data=None, *, snapshot: CartSnapshot, settings, rates, cart_token: str):
        self.data = data
        self.snapshot = snapshot
        self.cart_token = cart_token
        self.contact = ContactForm(data, prefix="c")
        self.address = AddressForm(data, prefix="a")
        self.facility_forms = [
            FacilityChoiceForm(
                data,
                prefix=f"f{group.facility.pk}",
                group=group,
                settings=settings.get(group.facility.pk, shipping.DEFAULT_SETTINGS),
                rates=rates.get(group.facility.pk, []),
            )
            for group in snapshot.groups
        ]
        self.gateway = GatewayChannelForm(data, prefix="g")
        self.idempotency_key = posted_idempotency_key(data) or uuid.uuid4().hex
        self.errors: list[str] = []

    @property
    def offers_gateway(self) -> bool:
        return any(
            PaymentMethod.GATEWAY in dict(f.fields["payment"].choices) for f in self.facility_forms
        )

    @property
    def gateway_channel(self) -> str:
        return self.gateway.cleaned_data["channel"]

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        ok = all(
            [self.contact.is_valid(), self.address.is_valid(), self.gateway.is_valid()]
            + [f.is_valid() for f in self.facility_forms]
        )
        if self.data.get("cart_token") != self.cart_token:
            self.errors.append(
                _("Isi keranjang berubah sejak halaman ini dibuka. Periksa lagi lalu kirim ulang.")
            )
            ok = False
        known = {str(g.facility.pk) for g in self.snapshot.groups}
        posted = {m.group(1) for key in self.data for m in [self.FACILITY_FIELD.match(key)] if m}
        if posted - known:
            self.errors.append(
                _("Formulir berisi UPT yang tidak ada di keranjang. Muat ulang halaman checkout.")
            )
            ok = False
        if ok and any(
            f.cleaned_data["delivery"] != DeliveryMethod.PICKUP for f in self.facility_forms
        ):
            self.address.require_all()
            ok = not self.address.errors
        return ok

    @property
    def province(self) -> str:
        if self.address.is_bound and self.address.is_valid():
            return self.address.cleaned_data.get("province", "")
        return ""

    def rows(self):
        """(group, form, shipping fee or None) for each facility, for the template."""
        province = self.province
        return [(f.group, f, f.shipping_fee(province)) for f in self.facility_forms]

    def choices(self) -> dict[int, FacilityChoice]:
        return {f.group.facility.pk: f.to_choice() for f in self.facility_forms}


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
