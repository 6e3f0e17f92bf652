"""The confirmation page, the online payment's status and QR code for its
poller, and the gateway's notification endpoint."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.barcodes import qr_file
from orders import selectors, zones
from orders.forms_tracking import ReceiptForm
from orders.payments import bank_steps as payment_steps
from orders.payments import selectors as payment_selectors
from orders.payments import services as gateway_services
from orders.payments.providers import provider_for
from orders.states import takes_receipt
from orders.views_session import CHECKOUTS_KEY


def confirmation(request, code):
    if code not in request.session.get(CHECKOUTS_KEY, []):
        # Not this browser's checkout: the tracking page asks for the phone number.
        messages.info(request, _("Masukkan kode pesanan dan nomor HP untuk melihat pesanan."))
        return redirect("orders:track")
    orders = list(selectors.confirmation_orders(code))
    if not orders:
        raise Http404
    # The shopper's clock: where the parcel goes, else WIB.
    shopper_zone = zones.zone_for_province(next((o.province for o in orders if o.province), ""))
    rows = [
        {
            "order": order,
            "instructions": provider_for(order.payment_method).instructions(order),
            "receipt_form": ReceiptForm(prefix=order.code)
            if takes_receipt(order.status, order.payment_method)
            else None,
            "facility_zone": order.facility.timezone,
            "map_url": _map_url(order.facility),
        }
        for order in orders
    ]
    payment = payment_selectors.gateway_payment_for_checkout(code)
    return render(
        request,
        "orders/confirmation.html",
        {
            "checkout_code": code,
            "orders": orders,
            "rows": rows,
            "grand_total": sum(o.total for o in orders),
            "shopper_zone": shopper_zone,
            "shopper_zone_label": zones.zone_label(shopper_zone),
            "gateway_payment": payment,
            "bank_steps": payment_steps.steps_for(payment.channel) if payment else None,
            "simulator_pay_url": _simulator_pay_url(payment, code),
        },
    )


def _map_url(facility) -> str:
    """A map search for the showroom (Google Maps' documented search URL): the
    facilities have an address, not coordinates."""
    query = ", ".join(p for p in (facility.name, facility.address, facility.city) if p)
    return "https://www.google.com/maps/search/?" + urlencode({"api": "1", "query": query})


def _simulator_pay_url(payment, code) -> str:
    """In development with the simulator, a link that "pays" like a banking app."""
    if payment is None or not settings.MIDTRANS_SIMULATOR:
        return ""
    back = reverse("orders:confirmation", args=[code])
    return reverse("gatewaysim:pay", args=[payment.gateway_order_id]) + "?next=" + back


def _own_checkout(request, code) -> bool:
    return code in request.session.get(CHECKOUTS_KEY, [])


@require_GET
@never_cache
def payment_status(request, code):
    """The online payment's state for the confirmation page's poller (JSON)."""
    if not _own_checkout(request, code):
        raise Http404
    payment = payment_selectors.gateway_payment_for_checkout(code)
    if payment is None:
        raise Http404
    return JsonResponse(
        {
            "status": payment.status,
            "label": str(payment.get_status_display()),
            "final": payment.status != payment.Status.PENDING,
        }
    )


@require_GET
def payment_qr(request, code):
    """The QRIS code as SVG, drawn here from the gateway's qr_string (our own
    origin, so the CSP needs no third-party image host)."""
    if not _own_checkout(request, code):
        raise Http404
    return qr_response(payment_selectors.gateway_payment_for_checkout(code))


@require_GET
def payment_qr_png(request, code):
    """The same QRIS code as a PNG file to save ("Simpan QR"): a phone cannot
    scan its own screen, so the shopper saves it and opens it from the
    e-wallet's or bank app's "scan from gallery"."""
    if not _own_checkout(request, code):
        raise Http404
    return qr_response(payment_selectors.gateway_payment_for_checkout(code), kind="png", name=code)


def qr_response(payment, *, kind: str = "svg", name: str = "") -> HttpResponse:
    if payment is None or not payment.qr_string:
        raise Http404
    response = HttpResponse(
        qr_file(payment.qr_string, kind=kind),
        content_type=f"image/{'png' if kind == 'png' else 'svg+xml'}",
    )
    if kind == "png":
        response["Content-Disposition"] = f'attachment; filename="QRIS-{name}.png"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def retry_message(request, payment) -> None:
    """What the shopper hears after "try again" on a payment being prepared."""
    if payment is not None and payment.is_payable:
        messages.success(request, _("Pembayaran online siap: silakan bayar."))
    elif payment is not None and payment.is_being_prepared:
        messages.warning(
            request,
            _("Pembayaran online masih disiapkan. Coba lagi sebentar lagi."),
        )
    else:
        messages.info(request, _("Status pembayaran sudah diperbarui."))


@require_POST
def payment_retry(request, code):
    """The confirmation page's "try again": the same payment intent is resumed
    (asked about at the gateway, charged if it never was)."""
    if not _own_checkout(request, code):
        raise Http404
    checkout = selectors.checkout_by_code(code)
    if checkout is None:
        raise Http404
    retry_message(request, gateway_services.gateway_payment_retry(checkout=checkout))
    return redirect(reverse("orders:confirmation", args=[code]) + "#pembayaran-online")


@csrf_exempt
@require_POST
def gateway_notification(request):
    """Midtrans's HTTP notification: verified, stored once, answered at once;
    the work runs as a task. Forged -> 403, malformed -> 400, anything the
    gateway signed (even for an unknown order) -> 200 so it stops retrying."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"status": "bad request"}, status=400)
    try:
        gateway_services.gateway_notification_receive(payload=payload)
    except gateway_services.NotificationRejected:
        return JsonResponse({"status": "invalid signature"}, status=403)
    return JsonResponse({"status": "ok"})


# --- tracking -------------------------------------------------------------------
