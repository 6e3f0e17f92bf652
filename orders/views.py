"""Cart and checkout pages: thin, each calls one service. The confirmation and
payment pages live in views_payment.py, tracking in views_tracking.py."""

from __future__ import annotations

import copy
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.rate_limits import rate_limit
from orders import privacy, selectors, services, terms
from orders.cart import SESSION_KEY, Cart, CartError
from orders.delivery import views as views_shipping
from orders.forms import (
    AddToCartForm,
    CartUpdateForm,
    CheckoutForm,
    posted_idempotency_key,
)
from orders.models import PaymentMethod
from orders.payments import selectors as payment_selectors
from orders.payments import services as gateway_services
from orders.tracking import TRACKED_KEY
from orders.views_session import CHECKOUTS_KEY, form_errors, remember

__all__ = ["CHECKOUTS_KEY", "TRACKED_KEY"]  # imported from here by tests and views_privacy


# --- cart -----------------------------------------------------------------------


def cart_detail(request):
    cart = Cart(request.session)
    snapshot = cart.refresh()
    for notice in snapshot.notices:
        messages.warning(request, notice)
    return render(request, "orders/cart.html", {"snapshot": snapshot})


@require_POST
def cart_add(request):
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_back(request))
    product = selectors.public_product(form.cleaned_data["product"])
    if product is None:
        messages.error(request, _("Produk tidak ditemukan atau tidak lagi dijual."))
        return redirect("orders:cart")
    try:
        Cart(request.session).add(product=product, quantity=form.cleaned_data["quantity"])
    except CartError as error:
        messages.error(request, str(error))
        return redirect(_back(request, product.get_absolute_url()))
    messages.success(request, _("%(name)s masuk keranjang.") % {"name": product.name})
    return redirect("orders:cart")


@require_POST
def cart_update(request):
    form = CartUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("orders:cart")
    cart = Cart(request.session)
    product_id, quantity = form.cleaned_data["product"], form.cleaned_data["quantity"]
    if request.POST.get("remove") or quantity == 0:
        cart.remove(product_id=product_id)
        messages.success(request, _("Produk dihapus dari keranjang."))
        return redirect("orders:cart")
    product = selectors.public_product(product_id)
    if product is None:
        cart.remove(product_id=product_id)
        messages.error(request, _("Produk tidak ditemukan atau tidak lagi dijual."))
        return redirect("orders:cart")
    try:
        cart.set(product=product, quantity=quantity)
    except CartError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Jumlah diperbarui."))
    return redirect("orders:cart")


def _back(request, fallback: str = "") -> str:
    referer = request.headers.get("referer", "")
    host = request.get_host()
    if referer and (
        referer.startswith(f"http://{host}/") or referer.startswith(f"https://{host}/")
    ):
        return referer
    return fallback or reverse("orders:cart")


# --- checkout -------------------------------------------------------------------


def _checkout_form(request, cart, snapshot, *, check: bool) -> CheckoutForm:
    facility_ids = [g.facility.pk for g in snapshot.groups]
    return CheckoutForm(
        request.POST if request.method == "POST" else None,
        snapshot=snapshot,
        settings=selectors.delivery_settings_for(facility_ids),
        rates=selectors.shipping_rates_for(facility_ids),
        cart_token=cart.token(),
        check=check,
    )


# The submit that re-renders the page with its totals and places nothing: the
# page's way to show shipping fees without JavaScript ("preview" is its old name).
# "region" is the address's "Pilih" (orders/address_form.py): the same round
# trip, with the next level of the address to choose from.
UPDATE_ACTIONS = {"update", "preview", "region"}


@require_http_methods(["GET", "POST"])
def checkout(request):
    placing = request.method == "POST" and request.POST.get("action") not in UPDATE_ACTIONS
    if placing:
        # A double submit finds the checkout its first submit made: same confirmation.
        key = posted_idempotency_key(request.POST)
        done = selectors.checkout_by_key(key) if key else None
        if done is not None:
            remember(request, CHECKOUTS_KEY, done.code)
            return redirect("orders:confirmation", code=done.code)
    cart = Cart(request.session)
    snapshot = cart.refresh()
    if snapshot.is_empty:
        for notice in snapshot.notices:
            messages.warning(request, notice)
        messages.info(request, _("Keranjang Anda kosong."))
        return redirect("orders:cart")
    form = _checkout_form(request, cart, snapshot, check=placing)
    notices = snapshot.notices
    status = 200
    if placing:
        if form.is_valid() and not notices:
            # Only placed checkouts count (an update or a refused form does
            # not); counted before placing, so parallel submits cannot all
            # pass, and given back if the shop refuses the order.
            limit = rate_limit("checkout")
            if not limit.consume(request):
                return render(request, "429.html", status=429)
            try:
                # The orders and, for those paid online, the payment's intent
                # (its own reference) in one transaction; the charge after.
                result = gateway_services.gateway_checkout_place(
                    gateway_channel=form.gateway_channel,
                    idempotency_key=form.idempotency_key,
                    contact=form.contact.to_contact(),
                    address=form.address.to_address(),
                    lines=[
                        services.PlaceLine(product_id=pid, quantity=q, expected_price=p)
                        for pid, q, p in cart.expected()
                    ],
                    choices=form.choices(),
                    privacy_notice_version=privacy.NOTICE_VERSION,
                    terms_version=terms.TERMS_VERSION,
                )
            except services.OrderError as error:
                limit.refund(request)
                if error.stale_cart:
                    for message in error.messages:
                        messages.error(request, message)
                    return redirect("orders:cart")
                form.errors.extend(error.messages)
            else:
                if not result.created:  # a double submit: counted by its first
                    limit.refund(request)
                online = [o for o in result.orders if o.payment_method == PaymentMethod.GATEWAY]
                if result.created and online:
                    try:
                        gateway_services.gateway_payment_start(
                            payment=payment_selectors.gateway_payment_for_checkout(
                                result.checkout.code
                            )
                        )
                    except gateway_services.GatewayUnavailable:
                        # Nothing was bought: orders called off, stock back, cart
                        # kept; a new key so the next submit is a new checkout.
                        gateway_services.gateway_checkout_call_off(orders=result.orders)
                        limit.refund(request)  # nothing was placed after all
                        form.idempotency_key = uuid.uuid4().hex
                        form.errors.append(
                            _(
                                "Pembayaran online sedang tidak bisa dibuat. Keranjang Anda "
                                "masih utuh: pilih Transfer bank lalu buat pesanan lagi, atau "
                                "coba lagi sebentar lagi."
                            )
                        )
                        return render(
                            request,
                            "orders/checkout.html",
                            {"snapshot": snapshot, "form": form, "notices": notices},
                            status=503,
                        )
                cart.remove_many(line.product.pk for line in snapshot.lines)
                remember(request, CHECKOUTS_KEY, result.checkout.code)
                remember(request, TRACKED_KEY, *(o.code for o in result.orders))
                response = redirect("orders:confirmation", code=result.checkout.code)
                address = form.address.to_address()
                if address.village_code and any(o.is_delivery for o in result.orders):
                    # The product pages price "Ongkir ke ..." to this village next time.
                    views_shipping.remember_destination(response, address.village_code)
                return response
        status = 400
    return render(
        request,
        "orders/checkout.html",
        {"snapshot": snapshot, "form": form, "notices": notices},
        status=status,
    )


class _SessionCopy(dict):
    """The session's cart, detached: changes to it are never saved."""

    modified = False

    def __init__(self, session):
        super().__init__({SESSION_KEY: copy.deepcopy(session.get(SESSION_KEY) or {})})


@require_POST
def checkout_totals(request):
    """The totals box of the checkout page for the choices posted so far: the
    page's script swaps it in as the shopper picks, instead of a reload."""
    # A copy of the cart: refreshing the real one here would settle its notices
    # (a price changed, a product sold out) without the page ever showing them.
    cart = Cart(_SessionCopy(request.session))
    snapshot = cart.refresh()
    if snapshot.is_empty:
        return HttpResponse(status=204)
    form = _checkout_form(request, cart, snapshot, check=False)
    return render(request, "orders/partials/checkout_totals.html", {"form": form})
