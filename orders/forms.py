"""Cart, checkout and tracking forms. Prices never come from a form: the server
reads them from the catalog; forms carry only ids, quantities and choices."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah
from core.phone import normalize_phone
from orders import quotes, shipments, shipping
from orders.address_form import AddressForm
from orders.cart import CartSnapshot
from orders.limits import MAX_QUANTITY
from orders.models import CODE_ALPHABET, CODE_LENGTH, DeliveryMethod, GatewayChannel, PaymentMethod
from orders.payments import PROVIDERS
from orders.services import IDEMPOTENCY_KEY_RE, Contact, FacilityChoice

__all__ = ["AddressForm"]  # the address lives in orders/address_form.py

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


def _lower_first(label) -> str:
    """'Ambil di showroom UPT' inside a sentence: 'ambil di showroom UPT'."""
    text = str(label)
    return text[:1].lower() + text[1:]


class ChoiceCards(forms.RadioSelect):
    """Radio buttons laid out as large tappable cards (templates/orders/partials/
    checkout_field.html). An option may say which deliveries it fits
    (`fits`, value -> methods, read by static/js/checkout.js) and be shown
    disabled (`disabled_values`) when it does not fit the delivery chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fits: dict[str, list[str]] = {}
        self.disabled_values: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in self.fits:
            option["attrs"]["data-fits"] = " ".join(self.fits[value])
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
            option["attrs"].pop("checked", None)
            option["selected"] = False
        return option


class PrivacyConsentForm(forms.Form):
    """One box: the shopper agrees to the terms (orders.terms.TERMS_VERSION) and
    the privacy notice (orders.privacy.NOTICE_VERSION)."""

    agree = forms.BooleanField(
        label=_("Saya menyetujui Syarat dan Ketentuan dan Kebijakan Privasi."),
        error_messages={
            "required": _(
                "Setujui Syarat dan Ketentuan dan Kebijakan Privasi untuk membuat pesanan."
            )
        },
    )


class FacilityChoiceForm(forms.Form):
    """Delivery and payment for one facility's part of the cart."""

    delivery = forms.ChoiceField(label=_("Pengiriman"), widget=ChoiceCards)
    payment = forms.ChoiceField(label=_("Pembayaran"), widget=ChoiceCards)
    note = forms.CharField(
        label=_("Catatan untuk UPT (tidak wajib)"), max_length=300, required=False
    )

    def __init__(self, *args, group, settings, rates, courier_answer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.settings = settings
        self.rates = rates
        self.methods = methods = quotes.offered_methods(group, settings)
        self.fields["delivery"].choices = [(m, self._method_label(m)) for m in methods]
        self.courier_answer = courier_answer
        if DeliveryMethod.COURIER in methods and courier_answer is not None:
            self._add_courier_field(courier_answer)
        self.fields["delivery"].error_messages.update(
            required=_("Pilih cara pengiriman."),
            invalid_choice=_("Pilih cara pengiriman yang tersedia untuk UPT ini."),
        )
        # Only the payments that fit some offered delivery are listed; one that
        # fits only some (pay at pickup) says so, and is disabled while the
        # chosen delivery is not one of them.
        payment_choices, fits = [], {}
        for code, provider in PROVIDERS.items():
            fitting = [m for m in methods if provider.is_available(settings, m)]
            if not fitting:
                continue
            label = provider.label
            if len(fitting) < len(methods):
                label = _("%(label)s — hanya untuk %(methods)s") % {
                    "label": label,
                    "methods": ", ".join(_lower_first(DeliveryMethod(m).label) for m in fitting),
                }
            payment_choices.append((code, label))
            fits[code] = [str(m) for m in fitting]
        self.fields["payment"].choices = payment_choices
        self.fields["payment"].error_messages.update(
            required=_("Pilih cara pembayaran."),
            invalid_choice=_("Pilih cara pembayaran yang tersedia untuk UPT ini."),
        )
        widget = self.fields["payment"].widget
        widget.fits = fits
        chosen = self.chosen_delivery()
        widget.disabled_values = (
            {code for code, methods_ in fits.items() if chosen not in methods_} if chosen else set()
        )
        if len(methods) == 1:
            self.fields["delivery"].initial = methods[0]
        if len(payment_choices) == 1:
            self.fields["payment"].initial = payment_choices[0][0]

    def _add_courier_field(self, answer) -> None:
        """The couriers and services for this facility's parcel, each with its
        price and estimate (orders/shipments.py); the help text says whose rates."""
        choices = [(o.key, shipments.option_label(o)) for o in answer.options]
        if not choices:
            return  # no province yet: the fee line says to pick one
        if answer.from_aggregator:
            help_text = _("Tarif dan estimasi langsung dari kurir, untuk berat %(kg)s.")
        elif shipments.aggregator_offered():
            help_text = _(
                "Cek tarif kurir belum bisa dipakai (pilih kelurahan/desa lalu tekan Hitung ongkos "
                "kirim, atau layanan sedang gangguan): dipakai tarif UPT untuk berat %(kg)s."
            )
        else:
            help_text = _("Tarif UPT menurut berat %(kg)s dan provinsi tujuan.")
        weight = self.group.weight_grams
        self.fields["courier"] = forms.ChoiceField(
            label=_("Kurir dan layanan"),
            choices=choices,
            required=False,
            widget=ChoiceCards,
            help_text=help_text % {"kg": f"{weight / 1000:.1f} kg".replace(".", ",")},
            error_messages={
                "invalid_choice": _("Ongkir berubah atau layanan tidak tersedia; pilih lagi.")
            },
        )
        if len(choices) == 1:
            self.fields["courier"].initial = choices[0][0]

    def chosen_courier_fee(self) -> int | None:
        """The price of the courier service picked so far, for the totals."""
        if self.courier_answer is None or "courier" not in self.fields:
            return None
        if self.is_bound:
            raw = self.data.get(self.add_prefix("courier")) or ""
        else:
            raw = self.initial.get("courier") or self.fields["courier"].initial or ""
        for option in self.courier_answer.options:
            if option.key == raw:
                return option.price
        return None

    def chosen_delivery(self) -> str:
        """The delivery picked so far (posted, else the only one): "" if none or not offered."""
        if self.is_bound:
            chosen = self.data.get(self.add_prefix("delivery")) or ""
        else:
            chosen = self.initial.get("delivery") or self.fields["delivery"].initial or ""
        return chosen if chosen in self.methods else ""

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
            if payment == PaymentMethod.PAY_AT_PICKUP:
                message = _("Bayar saat ambil hanya untuk pesanan yang diambil di showroom.")
            else:
                message = _(
                    "Cara pembayaran ini tidak bisa dipakai dengan pengiriman yang dipilih."
                )
            self.add_error("payment", message)
        if (
            delivery == DeliveryMethod.COURIER
            and "courier" in self.fields
            and not data.get("courier")
            and self.courier_answer.from_aggregator
        ):
            self.add_error("courier", _("Pilih kurir dan layanan pengiriman."))
        return data

    def to_choice(self) -> FacilityChoice:
        d = self.cleaned_data
        return FacilityChoice(
            delivery_method=d["delivery"],
            payment_method=d["payment"],
            note=d.get("note", ""),
            courier_option=d.get("courier") or "",
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


def posted_idempotency_key(data) -> str:
    """The checkout's idempotency key as the form posted it, or "" when it is
    missing or not one this site issues (a tampered value, NUL bytes
    included, never reaches a query)."""
    raw = (data or {}).get("idempotency_key") or ""
    return raw if IDEMPOTENCY_KEY_RE.fullmatch(raw) else ""


@dataclass(frozen=True)
class SummaryError:
    """One line of the error summary at the top of the page: the message and
    the id of the field it is about ("" for the page as a whole)."""

    text: str
    field_id: str = ""


class CheckoutForm:
    """The whole checkout page: contact, address, one choice form per facility,
    the idempotency key and the cart fingerprint.

    `is_valid()` checks everything at once, so the shopper sees every problem
    in one round (the address is required as soon as any valid choice
    delivers, whatever else is wrong); `quote()` prices the choices made so
    far, valid or not, for the totals the page shows before the button.
    """

    FACILITY_FIELD = re.compile(r"^f(\d+)-")

    def __init__(
        self,
        data=None,
        *,
        snapshot: CartSnapshot,
        settings,
        rates,
        cart_token: str,
        check: bool = True,
    ):
        """`check=False` is the "update totals" submit: the posted values are
        shown again (as initial values, so nothing is flagged as an error)
        and priced, and nothing is validated."""
        self.data = data
        self.snapshot = snapshot
        self.cart_token = cart_token
        self.settings = settings
        self.rates = rates
        bound = data if check else None

        def initial(prefix: str) -> dict | None:
            if data is None or check:
                return None
            start = f"{prefix}-"
            return {k.removeprefix(start): data.get(k) for k in data if k.startswith(start)}

        self.contact = ContactForm(bound, prefix="c", initial=initial("c"))
        self.address = AddressForm(bound, prefix="a", initial=initial("a"))
        destination = self.address.destination()
        self.consent = PrivacyConsentForm(bound, prefix="p", initial=initial("p"))
        self.gateway = GatewayChannelForm(bound, prefix="g", initial=initial("g"))
        self.facility_forms = [
            FacilityChoiceForm(
                bound,
                initial=initial(f"f{group.facility.pk}"),
                prefix=f"f{group.facility.pk}",
                group=group,
                settings=settings.get(group.facility.pk, shipping.DEFAULT_SETTINGS),
                rates=rates.get(group.facility.pk, []),
                courier_answer=shipments.answer_for_group(
                    group,
                    settings.get(group.facility.pk, shipping.DEFAULT_SETTINGS),
                    rates.get(group.facility.pk, []),
                    destination,
                ),
            )
            for group in snapshot.groups
        ]
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
        results = [
            self.contact.is_valid(),
            self.address.is_valid(),
            self.gateway.is_valid(),
            self.consent.is_valid(),
        ]
        results += [f.is_valid() for f in self.facility_forms]
        ok = all(results)
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
        # Asked of every valid delivery choice, even when other fields failed,
        # so the address errors come with the rest and not on a second try.
        delivering = [
            f
            for f in self.facility_forms
            if f.cleaned_data.get("delivery") not in (None, "", DeliveryMethod.PICKUP)
        ]
        if delivering:
            self.address.require_all()
            ok = ok and not self.address.errors
            address = self.address.to_address()
            if address.regency_code:
                for f in delivering:
                    facility = f.group.facility
                    if f.cleaned_data[
                        "delivery"
                    ] == DeliveryMethod.LOCAL and not shipping.local_delivery_reaches(
                        facility,
                        province_code=address.province_code,
                        regency_code=address.regency_code,
                        city=address.city,
                    ):
                        f.add_error(
                            "delivery",
                            shipping.LOCAL_AREA_MESSAGE
                            % {"city": facility.city, "province": facility.province},
                        )
                        ok = False
        self._describe_errors()
        return ok

    def _describe_errors(self) -> None:
        """Point each invalid field at its message (aria-describedby), so a
        screen reader reads the error with the field."""
        for form in (self.contact, *self.facility_forms, self.address, self.gateway, self.consent):
            for name in form.errors:
                if name not in form.fields:
                    continue
                bound = form[name]
                described = [f"{bound.auto_id}_error"]
                if form.fields[name].help_text:
                    described.append(f"{bound.auto_id}_helptext")
                form.fields[name].widget.attrs.update(
                    {"aria-describedby": " ".join(described), "aria-invalid": "true"}
                )

    def error_summary(self) -> list[SummaryError]:
        """Every problem, in page order, each linked to its field."""
        summary = [SummaryError(str(e)) for e in self.errors]
        sections = [(self.contact, "")]
        sections += [(f, f.group.facility.name) for f in self.facility_forms]
        sections += [(self.address, _("Alamat")), (self.gateway, "")]
        for form, section in sections:
            for error in form.non_field_errors():
                summary.append(SummaryError(f"{section}: {error}" if section else str(error)))
            for name, field in form.fields.items():
                for error in form.errors.get(name, []):
                    label = f"{section} — {field.label}" if section else str(field.label)
                    summary.append(SummaryError(f"{label}: {error}", field_anchor(form[name])))
        # The consent box's label is a whole sentence: its message says enough alone.
        for error in self.consent.errors.get("agree", []):
            summary.append(SummaryError(str(error), field_anchor(self.consent["agree"])))
        return summary

    @property
    def province(self) -> str:
        """The destination province's code as posted, when it is a known one."""
        return self.address.province_code

    def quote(self) -> quotes.CheckoutQuote:
        """The totals for the choices made so far (cached: the page asks twice)."""
        if not hasattr(self, "_quote"):
            self._quote = quotes.checkout_quote(
                snapshot=self.snapshot,
                methods={f.group.facility.pk: f.chosen_delivery() for f in self.facility_forms},
                province=self.province,
                settings=self.settings,
                rates=self.rates,
                courier_fees={
                    f.group.facility.pk: fee
                    for f in self.facility_forms
                    if (fee := f.chosen_courier_fee()) is not None
                },
            )
        return self._quote

    def rows(self):
        """(group, form, quote row) for each facility, for the template."""
        quote = self.quote()
        return [(f.group, f, quote.row_for(f.group.facility.pk)) for f in self.facility_forms]

    def choices(self) -> dict[int, FacilityChoice]:
        return {f.group.facility.pk: f.to_choice() for f in self.facility_forms}


def field_anchor(bound) -> str:
    """The id a summary link jumps to: the field, or a radio group's first option."""
    if isinstance(bound.field.widget, forms.RadioSelect):
        return f"{bound.auto_id}_0"
    return bound.id_for_label


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
