"""Per-facility checkout choices (delivery, courier), with the card-style
radio widget they are drawn with; the payment is one choice per checkout
(orders/forms_payment.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import format_rupiah
from core.units import format_kg
from orders import quotes
from orders.delivery import shipments
from orders.models import DeliveryMethod
from orders.services import FacilityChoice


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
    """Delivery for one facility's part of the cart (the payment is chosen
    once for the whole checkout: orders/forms_payment.py)."""

    delivery = forms.ChoiceField(label=_("Pengiriman"), widget=ChoiceCards)
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
        if len(methods) == 1:
            self.fields["delivery"].initial = methods[0]
        elif DeliveryMethod.COURIER in methods:
            # Sent by courier unless the shopper picks otherwise, as the
            # big marketplaces do: one tap fewer per facility.
            self.fields["delivery"].initial = DeliveryMethod.COURIER

    def _add_courier_field(self, answer) -> None:
        """The couriers and services for this facility's parcel, each with its
        price and estimate (orders/delivery/rates.py); the help text says whose rates."""
        options = answer.options
        if not options:
            return  # no village yet: the fee line says the address comes first
        cheapest = min(options, key=lambda o: (o.price, o.etd_max_days or 99))
        timed = [o for o in options if o.etd_max_days]
        fastest = min(timed, key=lambda o: (o.etd_max_days, o.price)) if len(timed) > 1 else None
        choices = []
        for option in options:
            marks = [str(_("Termurah"))] if option is cheapest and len(options) > 1 else []
            if option is fastest:
                marks.append(str(_("Tercepat")))
            label = shipments.option_label(option)
            choices.append((option.key, f"{label} · {', '.join(marks)}" if marks else label))
        if answer.from_aggregator:
            help_text = _("Tarif dan estimasi langsung dari kurir, untuk berat %(kg)s.")
        elif shipments.aggregator_offered():
            # The village is known (no price before it): the aggregator had
            # no answer for this parcel, so the facility's own table prices it.
            help_text = _(
                "Tarif kurir langsung sedang tidak tersedia: dipakai tarif UPT untuk berat %(kg)s."
            )
        else:
            help_text = _("Tarif UPT menurut berat %(kg)s dan provinsi tujuan.")
        weight = self.group.weight_grams
        self.fields["courier"] = forms.ChoiceField(
            label=_("Kurir dan layanan"),
            choices=choices,
            required=False,
            widget=ChoiceCards,
            help_text=help_text % {"kg": format_kg(weight)},
            error_messages={
                "invalid_choice": _("Ongkir berubah atau layanan tidak tersedia; pilih lagi.")
            },
        )
        # The cheapest is chosen until the shopper picks another (what the big
        # marketplaces do); a posted service no longer offered falls back to it.
        self.fields["courier"].initial = cheapest.key
        if self.initial.get("courier") not in {key for key, _label in choices}:
            self.initial.pop("courier", None)

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
        return _("%(label)s — harga menurut berat dan alamat") % {"label": label}

    def clean(self):
        data = super().clean()
        delivery = data.get("delivery")
        if (
            delivery == DeliveryMethod.COURIER
            and "courier" in self.fields
            and not data.get("courier")
            and self.courier_answer.from_aggregator
        ):
            self.add_error("courier", _("Pilih kurir dan layanan pengiriman."))
        return data

    def to_choice(self, payment_method: str) -> FacilityChoice:
        d = self.cleaned_data
        return FacilityChoice(
            delivery_method=d["delivery"],
            payment_method=payment_method,
            note=d.get("note", ""),
            courier_option=d.get("courier") or "",
        )
