"""The terms of sale (Syarat dan Ketentuan) under PP 80/2019 art. 53.

TERMS_VERSION is recorded on every order placed after the shopper agreed to
it at checkout (Order.terms_version). Change it whenever templates/terms/terms.html
changes what it promises.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from facilities.models import Facility
from orders.models import DeliveryMethod, PaymentMethod

# .2: answers within working days (public holidays counted out), and an answer
# the shopper leaves alone for COMPLAINT_CLOSE_DAYS working days stands.
# 2026-12-07: cuti bersama is counted out of working days too.
TERMS_VERSION = "2026-12-07"


def terms_view(request):
    facilities = Facility.objects.filter(is_active=True).select_related("region").order_by("name")
    return render(
        request,
        "terms/terms.html",
        {
            "version": TERMS_VERSION,
            "facilities": facilities,
            "delivery_methods": DeliveryMethod.choices,
            "payment_methods": PaymentMethod.choices,
            "complaint_window_days": settings.COMPLAINT_WINDOW_DAYS,
            "complaint_answer_days": settings.COMPLAINT_ANSWER_DAYS,
            "complaint_close_days": settings.COMPLAINT_CLOSE_DAYS,
            "gateway_minutes": settings.GATEWAY_PAYMENT_MINUTES,
        },
    )
