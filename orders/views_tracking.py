"""Tracking pages: find an order by code and phone, see it, upload a transfer
receipt, cancel."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.rate_limits import rate_limit
from orders import selectors, services
from orders.delivery import shipments
from orders.forms import (
    ReceiptForm,
    ShopperCancelForm,
    TrackForm,
)
from orders.payments import selectors as payment_selectors
from orders.payments import services as gateway_services
from orders.payments import views as views_payment
from orders.payments.providers import provider_for
from orders.payments.services.receipts import payment_proof_submit
from orders.states import shopper_may_cancel, shows_payment_instructions, takes_receipt
from orders.tracking import TRACKED_KEY
from orders.views_session import CHECKOUTS_KEY, form_errors, remember


def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        # Every lookup is counted before it runs (parallel guesses cannot all
        # pass) and given back when it finds the order: only misses count.
        limit = rate_limit("track")
        if not limit.consume(request):
            messages.error(request, _("Terlalu banyak percobaan. Coba lagi dalam 10 menit."))
            return render(request, "orders/track.html", {"form": TrackForm()}, status=429)
        order = None
        if form.is_valid() and form.cleaned_data["code"] and form.cleaned_data["phone"]:
            order = selectors.order_matching(
                code=form.cleaned_data["code"], phone=form.cleaned_data["phone"]
            )
        if order is not None:
            limit.refund(request)
            remember(request, TRACKED_KEY, order.code)
            return redirect("orders:track_detail", code=order.code)
        messages.error(request, _("Kode pesanan atau nomor HP tidak cocok."))
        # A fresh form, not the typed one: every miss gets byte-for-byte the same page.
        return render(request, "orders/track.html", {"form": TrackForm()}, status=404)
    return render(request, "orders/track.html", {"form": form})


def _tracked_order(request, code):
    if code not in request.session.get(TRACKED_KEY, []):
        return None
    return selectors.order_for_tracking(code)


def track_detail(request, code):
    order = _tracked_order(request, code)
    if order is None:
        return redirect("orders:track")
    return _render_detail(request, order)


def _render_detail(request, order, *, receipt_form=None, status=200):
    may_cancel = shopper_may_cancel(order.status, order.payment_method)
    receipt_now = takes_receipt(order.status, order.payment_method)
    pay_now = shows_payment_instructions(order.status, order.payment_method)
    return render(
        request,
        "orders/track_detail.html",
        {
            "order": order,
            "instructions": provider_for(order.payment_method).instructions(order),
            "receipt_form": receipt_form or (ReceiptForm() if receipt_now else None),
            "cancel_form": ShopperCancelForm() if may_cancel else None,
            "payment_instructions": pay_now,
            "shipment": shipments.shipment_for_tracking(order),
            "gateway_payment": payment_selectors.gateway_payment_for_order(order)
            if pay_now
            else None,
        },
        status=status,
    )


def payment_qr(request, code):
    """The checkout's QRIS code for a tracked order still awaiting payment."""
    order = _tracked_order(request, code)
    if order is None or not shows_payment_instructions(order.status, order.payment_method):
        raise Http404
    return views_payment.qr_response(payment_selectors.gateway_payment_for_order(order))


@require_POST
def payment_retry(request, code):
    """The tracking page's "try again" while the online payment is being
    prepared: the same intent is resumed (orders.payments.services)."""
    order = _tracked_order(request, code)
    if order is None:
        return redirect("orders:track")
    payment = payment_selectors.gateway_payment_for_order(order)
    if payment is not None:
        payment = gateway_services.gateway_payment_retry(checkout=payment.checkout)
    views_payment.retry_message(request, payment)
    return redirect("orders:track_detail", code=order.code)


@require_POST
def receipt_upload(request, code):
    order = _tracked_order(request, code)
    if order is None:
        return redirect("orders:track")
    # Sent from the confirmation page: go back there, whatever the outcome.
    checkout_code = request.POST.get("checkout", "")
    if checkout_code not in request.session.get(CHECKOUTS_KEY, []):
        checkout_code = ""
    form = ReceiptForm(request.POST, request.FILES, prefix=code if checkout_code else None)
    error = ""
    if not form.is_valid():
        error = form_errors(form)
    else:
        try:
            payment_proof_submit(order=order, upload=form.cleaned_data["receipt"])
        except services.OrderError as refused:
            error = " ".join(refused.messages)
    if error:
        messages.error(request, error)
        if checkout_code:
            return redirect(
                reverse("orders:confirmation", args=[checkout_code]) + f"#pesanan-{code}"
            )
        return _render_detail(request, order, receipt_form=form, status=400)
    messages.success(request, _("Bukti transfer terkirim. UPT akan memeriksanya."))
    if checkout_code:
        return redirect(reverse("orders:confirmation", args=[checkout_code]) + f"#pesanan-{code}")
    return redirect("orders:track_detail", code=code)


@require_POST
def shopper_cancel(request, code):
    order = _tracked_order(request, code)
    if order is None:
        return redirect("orders:track")
    form = ShopperCancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.order_cancel(order=order, reason=reason, by_shopper=True)
    except services.OrderError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Pesanan dibatalkan."))
    return redirect("orders:track_detail", code=code)
