"""Delivering a sign-in code: WhatsApp to the phone, and mail to the address
given with the phone's newest order or quote."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from myorders import rules, selectors
from notifications import whatsapp

log = logging.getLogger(__name__)

# Category "authentication" in WhatsApp Manager: one parameter, the code.
TEMPLATE = "kb_kode_masuk"


def code_deliver(*, phone: str, otp: str) -> None:
    sent = False
    if whatsapp.enabled():
        try:
            whatsapp.send_template(to=phone.lstrip("+"), template=TEMPLATE, params=[otp])
            sent = True
        except whatsapp.SendError as exc:
            # Mail may still get through; a code is worth nothing in 10 minutes,
            # so there is no retry queue of our own (the task retries a crash).
            log.warning("sign-in code by WhatsApp failed: %s", exc)
    email = selectors.newest_email(phone)
    if email:
        context = {"otp": otp, "minutes": rules.CODE_MINUTES, "SITE_URL": settings.SITE_URL}
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("myorders/mail/code_subject.txt", context).strip()
            body = render_to_string("myorders/mail/code.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        sent = True
    if not sent:
        log.warning("sign-in code reached no channel")
