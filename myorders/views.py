"""Pesanan saya: phone -> one-time code -> every order and quote of that phone."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from myorders import codes, selectors
from myorders.forms import CodeForm, PhoneForm
from orders.tracking import TRACKED_KEY
from orders.views_session import remember

SENT = (
    "Jika nomor ini pernah dipakai untuk memesan, kode 6 angka sudah kami kirim lewat "
    "WhatsApp (dan email bila ada). Kode berlaku %(minutes)s menit."
)
TOO_MANY_CODES = "Terlalu banyak permintaan kode. Coba lagi dalam 1 jam."
TOO_MANY_TRIES = "Terlalu banyak percobaan. Minta kode baru dalam 1 jam."


@never_cache
def start(request):
    """Signed in: the list. Otherwise the phone form; a posted phone gets a code."""
    phone = codes.signed_in_phone(request)
    if phone and request.method != "POST":
        return render(request, "myorders/list.html", {"rows": selectors.rows_for(phone)})
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not codes.code_request(request, phone=form.cleaned_data["phone"]):
            messages.error(request, _(TOO_MANY_CODES))
            return render(request, "myorders/start.html", {"form": PhoneForm()}, status=429)
        messages.info(request, _(SENT) % {"minutes": codes.CODE_MINUTES})
        return redirect("myorders:code")
    status = 400 if form.errors else 200
    return render(request, "myorders/start.html", {"form": form}, status=status)


@never_cache
def code(request):
    phone = codes.pending_phone(request)
    if phone is None:
        return redirect("myorders:start")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ok = codes.code_check(request, otp=form.cleaned_data["otp"])
        except codes.Refused:
            messages.error(request, _(TOO_MANY_TRIES))
            return render(request, "myorders/start.html", {"form": PhoneForm()}, status=429)
        if ok:
            return redirect("myorders:start")
        if codes.pending_phone(request) is None:
            messages.error(request, _("Kode sudah tidak berlaku. Minta kode baru."))
            return redirect("myorders:start")
        form.add_error("otp", _("Kode salah. Periksa lagi pesan WhatsApp atau email Anda."))
    return render(
        request,
        "myorders/code.html",
        {"form": form, "phone": phone},
        status=400 if form.errors else 200,
    )


@never_cache
def open_order(request, code):
    """An order of the signed-in phone: open it on the tracking pages (the
    session holds it as if the code and phone had been typed)."""
    phone = codes.signed_in_phone(request)
    order = selectors.order_of_phone(phone, code) if phone else None
    if order is None:
        return redirect("myorders:start")
    remember(request, TRACKED_KEY, order.code)
    return redirect("orders:track_detail", code=order.code)


@require_POST
def sign_out(request):
    codes.sign_out(request)
    messages.info(request, _("Anda sudah keluar dari Pesanan saya di browser ini."))
    return redirect("myorders:start")
