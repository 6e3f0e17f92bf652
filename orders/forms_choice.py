"""Per-facility checkout choices (delivery, payment, courier) and the online
payment channel, with the card-style radio widget they are drawn with."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah
from orders import quotes
from orders.delivery import shipments
from orders.models import DeliveryMethod, PaymentMethod
from orders.payments.models import GatewayChannel
from orders.payments.providers import PROVIDERS
from orders.services import FacilityChoice


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
        price and estimate (orders/shipment_rates.py); the help text says whose rates."""
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
