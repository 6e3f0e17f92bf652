"""How the whole checkout is paid: one choice for every order in it (issue 30:
the page used to ask each facility, then the online channel again).

The choices are what every facility in the cart takes: QRIS and a virtual
account per bank through the gateway (one payment for all online orders),
transfer to each facility's own account, or paying at the showroom when
everything is picked up. Each choice maps to an order's payment method and,
for the gateway, its channel.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from orders.forms_choice import ChoiceCards
from orders.models import DeliveryMethod, PaymentMethod
from orders.payments.models import GatewayChannel
from orders.payments.providers import PROVIDERS

# The gateway's channels offered at checkout. QRIS pays from any e-wallet or
# bank app, but a phone cannot scan its own screen: GoPay and ShopeePay are
# offered too because their charge answers with a link that opens the app
# (Midtrans's "deeplink-redirect"), one tap instead of saving the QR.
GATEWAY_CHOICES = (
    GatewayChannel.QRIS,
    GatewayChannel.GOPAY,
    GatewayChannel.SHOPEEPAY,
    GatewayChannel.BCA_VA,
    GatewayChannel.BNI_VA,
    GatewayChannel.BRI_VA,
    GatewayChannel.PERMATA_VA,
)


# On a phone these open the wallet's own app from the payment page.
APP_LABELS = {
    GatewayChannel.GOPAY: _("GoPay — langsung buka aplikasi GoPay"),
    GatewayChannel.SHOPEEPAY: _("ShopeePay — langsung buka aplikasi Shopee"),
}


def method_and_channel(value: str) -> tuple[str, str]:
    """The orders' payment method and the gateway channel ("" when none) of a choice."""
    if value in GatewayChannel.values:
        return PaymentMethod.GATEWAY, value
    return value, ""


class PaymentChoiceForm(forms.Form):
    """One payment choice for the checkout; `facility_forms` are its
    FacilityChoiceForms (what each facility offers, and the deliveries chosen)."""

    payment = forms.ChoiceField(
        label=_("Cara bayar"),
        widget=ChoiceCards,
        error_messages={
            "required": _("Pilih cara bayar."),
            "invalid_choice": _("Pilih cara bayar dari daftar."),
        },
    )

    def __init__(self, *args, facility_forms, **kwargs):
        super().__init__(*args, **kwargs)
        self.facility_forms = facility_forms
        count = len(facility_forms)
        offered = [self._offered(f) for f in facility_forms]
        common = set.intersection(*offered) if offered else set()
        # A cart whose facilities share no way to pay lists them all; the
        # check below then names the facility that refuses the one chosen.
        usable = common or set().union(*offered)
        choices, fits = [], {}
        if PaymentMethod.GATEWAY in usable:
            choices += [(c.value, APP_LABELS.get(c, c.label)) for c in GATEWAY_CHOICES]
        if PaymentMethod.BANK_TRANSFER in usable:
            choices.append(
                (
                    PaymentMethod.BANK_TRANSFER.value,
                    ngettext(
                        "Transfer bank ke rekening UPT, lalu unggah bukti transfer",
                        "Transfer bank ke rekening tiap UPT (%(n)s transfer), lalu unggah buktinya",
                        count,
                    )
                    % {"n": count},
                )
            )
        if PaymentMethod.PAY_AT_PICKUP in usable:
            choices.append(
                (
                    PaymentMethod.PAY_AT_PICKUP.value,
                    ngettext(
                        "Bayar saat ambil di showroom (tunai/QRIS) — hanya bila diambil",
                        "Bayar saat ambil di showroom tiap UPT — hanya bila semua diambil",
                        count,
                    ),
                )
            )
            fits[PaymentMethod.PAY_AT_PICKUP.value] = [DeliveryMethod.PICKUP.value]
        field = self.fields["payment"]
        field.choices = choices
        field.widget.fits = fits
        if PaymentMethod.GATEWAY in usable:
            field.help_text = ngettext(
                "QRIS dan virtual account: satu pembayaran sebesar total di bawah.",
                "QRIS dan virtual account: satu pembayaran untuk %(n)s pesanan sekaligus, "
                "sebesar total di bawah.",
                count,
            ) % {"n": count}
        chosen = {f.chosen_delivery() for f in facility_forms} - {""}
        field.widget.disabled_values = {
            value for value, methods in fits.items() if chosen - set(methods)
        }
        if choices:
            first = choices[0][0]
            field.initial = GatewayChannel.QRIS.value if first == GatewayChannel.QRIS else first

    @staticmethod
    def _offered(facility_form) -> set[str]:
        return {
            code
            for code, provider in PROVIDERS.items()
            if any(provider.is_available(facility_form.settings, m) for m in facility_form.methods)
        }

    @property
    def offers_gateway(self) -> bool:
        return any(v in GatewayChannel.values for v, _label in self.fields["payment"].choices)

    def method(self) -> str:
        return method_and_channel(self.cleaned_data["payment"])[0]

    def channel(self) -> str:
        return method_and_channel(self.cleaned_data["payment"])[1] or GatewayChannel.QRIS

    def check_against(self, facility_forms) -> bool:
        """The choice against each facility's delivery (bound and cleaned);
        adds the error and answers False when one of them refuses it."""
        if "payment" not in self.cleaned_data:
            return False
        method = self.method()
        provider = PROVIDERS[method]
        for f in facility_forms:
            delivery = f.cleaned_data.get("delivery")
            if not delivery or provider.is_available(f.settings, delivery):
                continue
            if method == PaymentMethod.PAY_AT_PICKUP:
                message = _(
                    "Bayar saat ambil hanya bila semua pesanan diambil di showroom; "
                    "%(facility)s tidak diambil. Pilih cara bayar lain."
                )
            else:
                message = _("%(facility)s tidak menerima cara bayar ini; pilih cara bayar lain.")
            self.add_error("payment", message % {"facility": f.group.facility.name})
            return False
        return True
