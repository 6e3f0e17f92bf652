"""Cart and checkout pages: thin, each calls one service. The confirmation and
payment pages live in views_payment.py, tracking in views_tracking.py."""

from __future__ import annotations

import copy
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.rate_limits import rate_limit
from orders import checkout_gate, privacy, selectors, services, terms
from orders.address_form import PICK_PREFIX, SEARCH_ACTION, picked_chain
from orders.cart import HOLDER_KEY, SESSION_KEY, Cart, CartError
from orders.delivery import views as views_shipping
from orders.forms import (
    AddToCartForm,
    CartUpdateForm,
    CheckoutForm,
    posted_idempotency_key,
)
from orders.limits import MAX_QUANTITY
from orders.services.checkout_submit import checkout_submit
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
    """Add to the cart and stay on the product page: the page's script posts
    with fetch and gets JSON (message and the header's new count, shown as a
    notice). Without JavaScript the POST comes from the buy page (`cart_buy`)
    and goes on to the cart, a page of the shopper's own that shows the
    message (product pages are shared and show none)."""
    wants_json = "application/json" in request.headers.get("accept", "")
    form = AddToCartForm(request.POST)
    if not form.is_valid():
        return _added(request, wants_json, form_errors(form), ok=False, back=_back(request))
    product = selectors.public_product(form.cleaned_data["product"])
    if product is None:
        message = _("Produk tidak ditemukan atau tidak lagi dijual.")
        return _added(request, wants_json, message, ok=False, back=reverse("orders:cart"))
    buy_page = f"{reverse('orders:cart_buy')}?{urlencode({'product': product.pk})}"
    try:
        Cart(request.session).add(product=product, quantity=form.cleaned_data["quantity"])
    except CartError as error:
        return _added(request, wants_json, str(error), ok=False, back=_back(request, buy_page))
    message = _("Ditambahkan ke keranjang: %(name)s.") % {"name": product.name}
    return _added(request, wants_json, message, ok=True, back=reverse("orders:cart"))


def _added(request, wants_json: bool, message: str, *, ok: bool, back: str):
    """cart_add's answer: JSON for the page's script, else a message and a redirect."""
    if wants_json:
        count = len(request.session.get(SESSION_KEY) or {})
        return JsonResponse(
            {
                "ok": ok,
                "message": message,
                "count": count,
                "cart_url": reverse("orders:cart"),
                "checkout_url": reverse("orders:checkout"),
            },
            status=200 if ok else 400,
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect(back)


@never_cache
@require_http_methods(["GET", "HEAD"])
def cart_buy(request):
    """/keranjang/beli/?product=..&quantity=..: the buy form of a product page
    for a shopper without JavaScript. Product pages are shared by every
    visitor and carry no CSRF token, so their form opens this small page of
    the shopper's own, with the real form and its token."""
    product_id = request.GET.get("product", "")
    product = (
        selectors.public_product(int(product_id))
        if product_id.isdigit() and len(product_id) < 19
        else None
    )
    if product is None:
        messages.error(request, _("Produk tidak ditemukan atau tidak lagi dijual."))
        return redirect("orders:cart")
    try:
        quantity = int(request.GET.get("quantity", ""))
        quantity = min(max(quantity, product.min_order_quantity), MAX_QUANTITY)
    except ValueError:
        quantity = product.min_order_quantity
    return render(request, "orders/buy.html", {"product": product, "quantity": quantity})


@never_cache
@require_http_methods(["GET"])
def cart_token(request):
    """The CSRF token for the "+ Keranjang" buttons of product cards: cards and
    the pages that list them are cached for every shopper alike, so they carry
    no token; the script asks for one here on the first tap."""
    return JsonResponse({"token": get_token(request)})


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
    _province, village = views_shipping.remembered_destination(request)
    return CheckoutForm(
        request.POST if request.method == "POST" else None,
        address_initial=picked_chain(PICK_PREFIX + village) if village else None,
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
# "region-search" lists villages by name and "pick:<code>" takes one of them
# (the whole address chain in one tap).
UPDATE_ACTIONS = {"update", "preview", "region", SEARCH_ACTION}


def _updating(post) -> bool:
    action = post.get("action") or ""
    return action in UPDATE_ACTIONS or action.startswith(PICK_PREFIX)


@require_http_methods(["GET", "POST"])
def checkout(request):
    placing = request.method == "POST" and not _updating(request.POST)
    if placing:
        # A double submit finds the checkout its first submit made: same confirmation.
        key = posted_idempotency_key(request.POST)
        done = selectors.checkout_by_key(key) if key else None
        if done is not None:
            remember(request, CHECKOUTS_KEY, done.code)
            return redirect("orders:confirmation", code=done.code)
    cart = Cart(request.session)
    turn = checkout_gate.turn_wait(request) if request.method == "GET" else None
    if turn is not None:
        # The waiting room: the cart is not refreshed, its units stay held.
        return render(
            request,
            "orders/checkout_wait.html",
            {
                "turn": turn,
                "retry_seconds": checkout_gate.seconds_until(turn),
                "held_until": cart.held_until(),
            },
        )
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
            submitted = checkout_submit(
                gateway_channel=form.gateway_channel,
                give_back=lambda: limit.refund(request),
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
                cart_holder=cart.holder,
            )
            if submitted.stale_cart:
                for message in submitted.errors:
                    messages.error(request, message)
                return redirect("orders:cart")
            if submitted.gateway_down:
                # A new key, so the next submit is a new checkout.
                form.idempotency_key = uuid.uuid4().hex
                form.errors.extend(submitted.errors)
                return render(
                    request,
                    "orders/checkout.html",
                    {"snapshot": snapshot, "form": form, "notices": notices},
                    status=503,
                )
            form.errors.extend(submitted.errors)
            if submitted.placed:
                result = submitted.result
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
    detached = True  # orders.cart.Cart writes no holds for it

    def __init__(self, session):
        super().__init__(
            {
                SESSION_KEY: copy.deepcopy(session.get(SESSION_KEY) or {}),
                HOLDER_KEY: session.get(HOLDER_KEY) or "",
            }
        )


@require_POST
def checkout_totals(request):
    """The totals box of the checkout page and each facility's courier services
    for the choices and address posted so far: the page's script swaps them
    in as the shopper picks, instead of a reload."""
    # A copy of the cart: refreshing the real one here would settle its notices
    # (a price changed, a product sold out) without the page ever showing them.
    cart = Cart(_SessionCopy(request.session))
    snapshot = cart.refresh()
    if snapshot.is_empty:
        return HttpResponse(status=204)
    form = _checkout_form(request, cart, snapshot, check=False)
    return render(request, "orders/partials/checkout_live.html", {"form": form})
