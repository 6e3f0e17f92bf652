"""Cart, checkout, confirmation and tracking pages: thin, each calls one service."""

from __future__ import annotations

import copy
import json
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.rate_limits import rate_limit
from orders import (
    gateway_services,
    privacy,
    selectors,
    services,
    shipments,
    terms,
    views_shipping,
    zones,
)
from orders.cart import SESSION_KEY, Cart, CartError
from orders.forms import (
    AddToCartForm,
    CartUpdateForm,
    CheckoutForm,
    ReceiptForm,
    ShopperCancelForm,
    TrackForm,
    posted_idempotency_key,
)
from orders.models import PaymentMethod
from orders.payments import provider_for
from orders.states import shopper_may_cancel, shows_payment_instructions, takes_receipt
from orders.tracking import TRACKED_KEY

CHECKOUTS_KEY = "kb_checkouts"


def _remember(request, key: str, *codes: str) -> None:
    """Codes this browser may open without typing the phone number again."""
    known = list(request.session.get(key, []))
    for code in codes:
        if code not in known:
            known.append(code)
    request.session[key] = known[-50:]


def _form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


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
        messages.error(request, _form_errors(form))
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
        messages.error(request, _form_errors(form))
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
            _remember(request, CHECKOUTS_KEY, done.code)
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
                result = services.order_place(
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
                            checkout=result.checkout,
                            orders=result.orders,
                            channel=form.gateway_channel,
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
                _remember(request, CHECKOUTS_KEY, result.checkout.code)
                _remember(request, TRACKED_KEY, *(o.code for o in result.orders))
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
    payment = selectors.gateway_payment_for_checkout(code)
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
    payment = selectors.gateway_payment_for_checkout(code)
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
    payment = selectors.gateway_payment_for_checkout(code)
    if payment is None or not payment.qr_string:
        raise Http404
    import io

    import segno

    out = io.BytesIO()
    segno.make(payment.qr_string, error="m").save(out, kind="svg", scale=6, border=2)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


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
            _remember(request, TRACKED_KEY, order.code)
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
    return render(
        request,
        "orders/track_detail.html",
        {
            "order": order,
            "instructions": provider_for(order.payment_method).instructions(order),
            "receipt_form": receipt_form or (ReceiptForm() if receipt_now else None),
            "cancel_form": ShopperCancelForm() if may_cancel else None,
            "payment_instructions": shows_payment_instructions(order.status, order.payment_method),
            "shipment": shipments.shipment_for_tracking(order),
        },
        status=status,
    )


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
        error = _form_errors(form)
    else:
        try:
            services.payment_proof_submit(order=order, upload=form.cleaned_data["receipt"])
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
