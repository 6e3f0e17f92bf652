"""One-time codes that sign a browser in to "Pesanan saya" for one phone.

The rules, as strict as the tracking form's (orders.views_tracking):

- The same answer whether or not the phone has orders: a code is made and
  its hash kept in this session either way, and sent only when the phone has
  orders or quotes (by a task, so the answer takes as long either way).
- Sends are limited per session and per client address (RATE_LIMITS
  "mine_code") and per phone across every client (CODES_PER_PHONE_PER_HOUR):
  nobody can use the site to flood someone's WhatsApp.
- A code is 6 digits, lives CODE_MINUTES, allows ATTEMPTS_PER_CODE tries; only
  its keyed hash (HMAC with SECRET_KEY) is stored, in the session of the
  browser that asked, so it signs in that browser and no other. Wrong codes
  are limited per session and address (RATE_LIMITS "mine_verify", like
  "track") and per phone (FAILURES_PER_PHONE_PER_HOUR): a guesser with many
  browsers still gets a handful of 1-in-a-million tries an hour.
- A correct code rotates the session key (no fixation) and signs this browser
  in for SIGNED_IN_DAYS.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.rate_limits import count_key, rate_limit

# The limits live in myorders.rules, which the sending task reads too.
from myorders.rules import (  # noqa: F401 (read as codes.X by views and tests)
    ATTEMPTS_PER_CODE,
    CODE_MINUTES,
    CODES_PER_PHONE_PER_HOUR,
    FAILURES_PER_PHONE_PER_HOUR,
)

CODE_KEY = "kb_mine_code"
SIGNED_IN_KEY = "kb_mine"

SIGNED_IN_DAYS = 14  # the session's own life (SESSION_COOKIE_AGE)


def _digest(phone: str, otp: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"kb.mine:{phone}:{otp}".encode(), hashlib.sha256
    ).hexdigest()


def code_request(request, *, phone: str) -> bool:
    """Make and (when the phone has orders or quotes) send a code for `phone`.
    False when a limit refuses it; the caller answers the same either way."""
    if not rate_limit("mine_code").consume(request):
        return False
    if count_key(f"mine_code:phone:{phone}", 3600) > CODES_PER_PHONE_PER_HOUR:
        return False
    otp = f"{secrets.randbelow(10**6):06d}"
    request.session[CODE_KEY] = {
        "phone": phone,
        "digest": _digest(phone, otp),
        "expires": (timezone.now() + timedelta(minutes=CODE_MINUTES)).timestamp(),
        "attempts": 0,
    }
    from myorders import selectors

    if selectors.phone_has_anything(phone):
        from myorders import tasks

        # After commit, robust: a queue that refuses the task must not turn
        # into an error page that says "this phone has orders".
        transaction.on_commit(lambda: tasks.code_send.enqueue(phone, otp), robust=True)
    return True


def pending_phone(request) -> str | None:
    entry = request.session.get(CODE_KEY)
    return entry["phone"] if entry else None


class Refused(Exception):
    """Too many tries: the caller answers 429."""


def code_check(request, *, otp: str) -> bool:
    """True when `otp` is this session's code (it is then used up and the
    browser signed in); raises Refused when a limit stops the try."""
    entry = dict(request.session.get(CODE_KEY) or {})
    limit = rate_limit("mine_verify")
    if not limit.consume(request):
        raise Refused
    if not entry or entry["expires"] < timezone.now().timestamp():
        request.session.pop(CODE_KEY, None)
        return False
    phone = entry["phone"]
    entry["attempts"] += 1
    ok = entry["attempts"] <= ATTEMPTS_PER_CODE and hmac.compare_digest(
        entry["digest"], _digest(phone, (otp or "").strip())
    )
    if not ok:
        if count_key(f"mine_verify:phone:{phone}", 3600) > FAILURES_PER_PHONE_PER_HOUR:
            request.session.pop(CODE_KEY, None)
            raise Refused
        if entry["attempts"] >= ATTEMPTS_PER_CODE:
            request.session.pop(CODE_KEY, None)  # used up: ask for a new one
        else:
            request.session[CODE_KEY] = entry
        return False
    limit.refund(request)
    request.session.pop(CODE_KEY, None)
    request.session.cycle_key()
    request.session[SIGNED_IN_KEY] = {
        "phone": phone,
        "until": (timezone.now() + timedelta(days=SIGNED_IN_DAYS)).timestamp(),
    }
    return True


def signed_in_phone(request) -> str | None:
    entry = request.session.get(SIGNED_IN_KEY)
    if not entry or entry["until"] < timezone.now().timestamp():
        return None
    return entry["phone"]


def sign_out(request) -> None:
    request.session.pop(SIGNED_IN_KEY, None)
    request.session.pop(CODE_KEY, None)
