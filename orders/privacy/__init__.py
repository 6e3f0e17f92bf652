"""Shopper data under UU PDP 27/2022: the notice version, masking, the one
anonymisation that retention and deletion requests share, shoppers' requests,
and the staff access trail.

Services here follow orders.services' habits (keyword-only, atomic, a history
row each); they live apart so privacy can be read, and changed, in one place.

The package, by concern: rules (the values and PrivacyError), holds (the one
rule for what is still owed on an order and keeps its shopper data), masking,
erasure, requests, held (deletion requests waiting for what is owed), otp,
trail. Import from `orders.privacy`.
"""

from orders.privacy.erasure import order_anonymise
from orders.privacy.held import privacy_requests_release
from orders.privacy.holds import (
    ErasureHeld,
    ErasureHold,
    erasure_holds,
    erasure_refusal,
    holds_until,
    register_erasure_hold,
)
from orders.privacy.masking import mask_email, mask_phone, mask_text, masked_address
from orders.privacy.models import AccessEvent, OrderErasure, PrivacyRequest
from orders.privacy.otp import (
    OTP_ATTEMPTS,
    OTP_SECONDS,
    OTP_SESSION_KEY,
    VERIFIED_SECONDS,
    VERIFIED_SESSION_KEY,
    is_verified,
    otp_check,
    otp_required,
    otp_send,
)
from orders.privacy.requests import (
    ADDRESS_FIELDS,
    CORRECTION_FIELDS,
    order_contact_correct,
    order_data_export,
    privacy_deletion_request,
    privacy_request_fulfil,
    privacy_request_refuse,
)
from orders.privacy.rules import (
    ANONYMOUS_NAME,
    CORRECTABLE,
    ERASED_FIELDS,
    NOTICE_VERSION,
    RESPONSE_HOURS,
    PrivacyError,
)
from orders.privacy.trail import access_record

__all__ = [
    "ADDRESS_FIELDS",
    "ANONYMOUS_NAME",
    "CORRECTABLE",
    "CORRECTION_FIELDS",
    "ERASED_FIELDS",
    "NOTICE_VERSION",
    "OTP_ATTEMPTS",
    "OTP_SECONDS",
    "OTP_SESSION_KEY",
    "RESPONSE_HOURS",
    "VERIFIED_SECONDS",
    "VERIFIED_SESSION_KEY",
    "AccessEvent",
    "ErasureHeld",
    "ErasureHold",
    "OrderErasure",
    "PrivacyError",
    "PrivacyRequest",
    "access_record",
    "erasure_holds",
    "erasure_refusal",
    "holds_until",
    "is_verified",
    "mask_email",
    "mask_phone",
    "mask_text",
    "masked_address",
    "order_anonymise",
    "order_contact_correct",
    "order_data_export",
    "otp_check",
    "otp_required",
    "otp_send",
    "privacy_deletion_request",
    "privacy_request_fulfil",
    "privacy_request_refuse",
    "privacy_requests_release",
    "register_erasure_hold",
]
