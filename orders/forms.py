"""Cart, checkout and tracking forms, re-exported from the modules that define
them (forms_cart, forms_choice, forms_checkout, forms_tracking). Prices never
come from a form: the server reads them from the catalog; forms carry only
ids, quantities and choices."""

from orders.address_form import AddressForm
from orders.forms_cart import PRODUCT_ERRORS, QUANTITY_ERRORS, AddToCartForm, CartUpdateForm
from orders.forms_checkout import (
    CheckoutForm,
    ContactForm,
    PrivacyConsentForm,
    SummaryError,
    field_anchor,
    posted_idempotency_key,
    summary_of,
)
from orders.forms_choice import ChoiceCards, FacilityChoiceForm
from orders.forms_payment import PaymentChoiceForm
from orders.forms_tracking import ReceiptForm, ShopperCancelForm, TrackForm

__all__ = [
    "PRODUCT_ERRORS",
    "QUANTITY_ERRORS",
    "AddToCartForm",
    "AddressForm",  # the address lives in orders/address_form.py
    "CartUpdateForm",
    "CheckoutForm",
    "ChoiceCards",
    "ContactForm",
    "FacilityChoiceForm",
    "PaymentChoiceForm",
    "PrivacyConsentForm",
    "ReceiptForm",
    "ShopperCancelForm",
    "SummaryError",
    "TrackForm",
    "field_anchor",
    "summary_of",
    "posted_idempotency_key",
]
