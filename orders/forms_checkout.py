"""The checkout page as one form: contact, consent, address, the per-facility
choices (orders/forms_choice.py) and the idempotency key. Prices never come
from a form: the server reads them from the catalog."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from core.phone import normalize_phone
from orders import quotes
from orders.address_form import SEARCH_ACTION, AddressForm, picked_chain
from orders.cart import CartSnapshot
from orders.delivery import fees as shipping
from orders.delivery import shipments
from orders.forms_choice import FacilityChoiceForm
from orders.forms_payment import PaymentChoiceForm
from orders.models import DeliveryMethod
from orders.services import IDEMPOTENCY_KEY_RE, Contact, FacilityChoice
from regions.selectors import village_search


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
        address_initial: dict | None = None,
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
        # A fresh page may start from the shopper's last village (the
        # product page's remembered destination): one choice fewer.
        address_initial = initial("a") if data is not None else address_initial
        action = str((data or {}).get("action") or "")
        picked = picked_chain(action)
        if picked and address_initial is not None:
            # A village from the search: the whole chain at once.
            address_initial.update(picked, postal_code="")
        self.address_query = str(address_initial.get("search") or "") if address_initial else ""
        self.address_results = (
            village_search(self.address_query) if action == SEARCH_ACTION else None
        )
        self.address = AddressForm(bound, prefix="a", initial=address_initial)
        destination = self.address.destination()
        self.consent = PrivacyConsentForm(bound, prefix="p", initial=initial("p"))
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
        # One way to pay for the whole checkout, after the deliveries it must fit.
        self.payment = PaymentChoiceForm(
            bound, prefix="g", initial=initial("g"), facility_forms=self.facility_forms
        )
        self.idempotency_key = posted_idempotency_key(data) or uuid.uuid4().hex
        self.errors: list[str] = []

    @property
    def gateway_channel(self) -> str:
        return self.payment.channel()

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        results = [
            self.contact.is_valid(),
            self.address.is_valid(),
            self.payment.is_valid(),
            self.consent.is_valid(),
        ]
        results += [f.is_valid() for f in self.facility_forms]
        ok = all(results) and self.payment.check_against(self.facility_forms)
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
        for form in (self.contact, *self.facility_forms, self.address, self.payment, self.consent):
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
        sections += [(self.address, _("Alamat")), (self.payment, "")]
        summary += summary_of(sections)
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
        method = self.payment.method()
        return {f.group.facility.pk: f.to_choice(method) for f in self.facility_forms}


def summary_of(sections) -> list[SummaryError]:
    """The summary lines of `sections` ((form, section name) pairs, "" for
    none): each form's own errors, then each field's, labelled with the
    section and linked to the field. Checkout and the privacy correction
    list their errors this one way."""
    summary = []
    for form, section in sections:
        for error in form.non_field_errors():
            summary.append(SummaryError(f"{section}: {error}" if section else str(error)))
        for name, field in form.fields.items():
            for error in form.errors.get(name, []):
                label = f"{section} — {field.label}" if section else str(field.label)
                summary.append(SummaryError(f"{label}: {error}", field_anchor(form[name])))
    return summary


def field_anchor(bound) -> str:
    """The id a summary link jumps to: the field, or a radio group's first option."""
    if isinstance(bound.field.widget, forms.RadioSelect):
        return f"{bound.auto_id}_0"
    return bound.id_for_label
