"""One-time codes: a second factor, by mail, before a shopper's request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from orders.models import Order

# --- one-time codes (a second factor before a request) ------------------------------

OTP_SESSION_KEY = "kb_privacy_otp"
VERIFIED_SESSION_KEY = "kb_privacy_ok"
OTP_SECONDS = 10 * 60
OTP_ATTEMPTS = 5
VERIFIED_SECONDS = 30 * 60


def otp_required(order: Order) -> bool:
    """Mail is the one channel this site can send a code by; an order without
    an email relies on its code and phone alone (README "Privacy")."""
    return bool(settings.PRIVACY_OTP_BY_EMAIL and order.contact_email)


def _digest(code: str, otp: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{code}:{otp}".encode(), hashlib.sha256
    ).hexdigest()


def otp_send(*, session, order: Order) -> None:
    """Mail a 6-digit code for `order` and keep only its keyed hash in the
    session (shared by every app server, unlike a local cache)."""
    otp = f"{secrets.randbelow(10**6):06d}"
    pending = dict(session.get(OTP_SESSION_KEY, {}))
    pending[order.code] = {
        "digest": _digest(order.code, otp),
        "expires": (timezone.now() + timedelta(seconds=OTP_SECONDS)).timestamp(),
        "attempts": 0,
    }
    session[OTP_SESSION_KEY] = pending
    context = {"order": order, "otp": otp, "minutes": OTP_SECONDS // 60}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("privacy/mail/otp_subject.txt", context).strip()
        body = render_to_string("privacy/mail/otp.txt", {**context, "SITE_URL": settings.SITE_URL})
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [order.contact_email])


def otp_check(*, session, order: Order, otp: str) -> bool:
    """True once `otp` matches the code sent for `order`; five tries per code."""
    pending = dict(session.get(OTP_SESSION_KEY, {}))
    entry = pending.get(order.code)
    if not entry or entry["expires"] < timezone.now().timestamp():
        return False
    entry["attempts"] += 1
    ok = entry["attempts"] <= OTP_ATTEMPTS and hmac.compare_digest(
        entry["digest"], _digest(order.code, (otp or "").strip())
    )
    if ok:
        pending.pop(order.code)
        verified = dict(session.get(VERIFIED_SESSION_KEY, {}))
        verified[order.code] = (timezone.now() + timedelta(seconds=VERIFIED_SECONDS)).timestamp()
        session[VERIFIED_SESSION_KEY] = verified
    session[OTP_SESSION_KEY] = pending
    return ok


def is_verified(*, session, order: Order) -> bool:
    if not otp_required(order):
        return True
    until = session.get(VERIFIED_SESSION_KEY, {}).get(order.code, 0)
    return until > timezone.now().timestamp()
