"""A local stand-in for the Midtrans Core API: same paths, same JSON, same
Basic auth, and notifications signed the same way (orders.payments.midtrans.signature_for).

It answers only while settings.MIDTRANS_SIMULATOR is on (DEBUG without a real
server key); otherwise every path is a 404. "Paying" is a button on
/_simulator/midtrans/bayar/<order_id>/ (the QRIS code points there, so a phone
camera in the demo opens it) or `manage.py simulate_payment`.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import threading
import time
import urllib.request
import uuid
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from gatewaysim.models import SimTransaction
from gatewaysim.switch import enabled_by
from orders.payments.midtrans import REFUNDABLE_PAYMENT_TYPES, amount_string, signature_for

log = logging.getLogger(__name__)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # Midtrans's, in WIB


_enabled = enabled_by("MIDTRANS_SIMULATOR")


def _api(view):
    """Midtrans's API checks: Basic auth with the server key, JSON answers."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        expected = base64.b64encode(f"{settings.MIDTRANS_SERVER_KEY}:".encode()).decode()
        if request.headers.get("Authorization", "") != f"Basic {expected}":
            return _answer("401", "Access denied due to unauthorized transaction")
        return view(request, *args, **kwargs)

    return _enabled(csrf_exempt(wrapper))


def _answer(code: str, message: str, **extra) -> JsonResponse:
    # Midtrans puts the outcome in status_code; errors also get the HTTP status.
    http = 200 if code.startswith("2") else int(code)
    return JsonResponse({"status_code": code, "status_message": message, **extra}, status=http)


def _wib(moment) -> str:
    return timezone.localtime(moment).strftime(TIME_FORMAT)


def _body(txn: SimTransaction) -> dict:
    status_code = {"settlement": "200", "capture": "200", "pending": "201"}.get(
        txn.transaction_status, "202" if txn.refunded_amount == 0 else "200"
    )
    body = {
        "status_code": status_code,
        "transaction_id": txn.transaction_id,
        "order_id": txn.order_id,
        "merchant_id": "G000SIMULATOR",
        "gross_amount": amount_string(txn.gross_amount),
        "currency": "IDR",
        "payment_type": txn.payment_type,
        "transaction_time": _wib(txn.created_at),
        "transaction_status": txn.transaction_status,
        "fraud_status": "accept",
        "expiry_time": _wib(txn.expiry_time),
    }
    if txn.refunded_amount:
        body["refund_amount"] = amount_string(txn.refunded_amount)
    if txn.payment_type == "bank_transfer":
        if txn.bank == "permata":
            body["permata_va_number"] = txn.va_number
        else:
            body["va_numbers"] = [{"bank": txn.bank, "va_number": txn.va_number}]
    return body


def _expire_if_due(txn: SimTransaction) -> None:
    if txn.transaction_status == "pending" and txn.expiry_time <= timezone.now():
        txn.transaction_status = "expire"
        txn.save(update_fields=["transaction_status"])


@_api
@require_POST
def charge(request):
    try:
        data = json.loads(request.body)
        details = data["transaction_details"]
        order_id = str(details["order_id"])
        amount = int(details["gross_amount"])
        payment_type = data["payment_type"]
    except (ValueError, KeyError, TypeError):
        return _answer("400", "Validation error")
    if payment_type not in {"qris", "bank_transfer", "gopay", "shopeepay"} or amount < 1:
        return _answer("400", "Validation error")
    bank = (
        (data.get("bank_transfer") or {}).get("bank", "") if payment_type == "bank_transfer" else ""
    )
    expiry = data.get("custom_expiry") or {}
    minutes = int(expiry.get("expiry_duration") or 15)
    pay_url = settings.SITE_URL + reverse("gatewaysim:pay", args=[order_id])
    try:
        txn = SimTransaction.objects.create(
            order_id=order_id,
            transaction_id=str(uuid.uuid4()),
            payment_type=payment_type,
            bank=bank,
            gross_amount=amount,
            # The simulator's "QRIS" opens its pay page when scanned.
            qr_string=pay_url if payment_type in {"qris", "gopay"} else "",
            va_number=("8" + "".join(secrets.choice("0123456789") for _ in range(15)))
            if bank
            else "",
            notification_url=request.headers.get("X-Override-Notification", ""),
            expiry_time=timezone.now() + timedelta(minutes=minutes),
        )
    except IntegrityError:
        return _answer("406", "The request could not be completed due to a conflict")
    _slow_answer()
    body = _body(txn)
    body["status_code"] = "201"
    body["status_message"] = "Success, transaction is created"
    if payment_type in {"qris", "gopay"}:
        body["qr_string"] = txn.qr_string
        body["actions"] = [{"name": "generate-qr-code", "method": "GET", "url": pay_url}]
    if payment_type in {"gopay", "shopeepay"}:
        body.setdefault("actions", []).append(
            {"name": "deeplink-redirect", "method": "GET", "url": pay_url}
        )
    return JsonResponse(body, status=200)


def _slow_answer() -> None:
    """The drills' slow gateway: the charge is made (committed) and then the
    answer takes MIDTRANS_SIMULATOR_DELAY_SECONDS, so a client with a shorter
    timeout gives up on a charge that exists, and a worker killed meanwhile
    never records it."""
    delay = float(getattr(settings, "MIDTRANS_SIMULATOR_DELAY_SECONDS", 0) or 0)
    if delay > 0:
        time.sleep(delay)


def _get(order_id: str) -> SimTransaction | None:
    return SimTransaction.objects.select_for_update().filter(order_id=order_id).first()


@_api
@require_http_methods(["GET"])
def status(request, order_id):
    with transaction.atomic():
        txn = _get(order_id)
        if txn is None:
            return _answer("404", "Transaction doesn't exist.")
        _expire_if_due(txn)
    return JsonResponse(_body(txn))


@_api
@require_POST
def refund(request, order_id):
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return _answer("400", "Validation error")
    with transaction.atomic():
        txn = _get(order_id)
        if txn is None:
            return _answer("404", "Transaction doesn't exist.")
        key = str(data.get("refund_key") or "")
        if key and key in txn.refund_keys:
            # Midtrans treats a repeated refund_key as the same refund.
            return JsonResponse({**_body(txn), "status_message": "Success, refund is created"})
        if txn.payment_type not in REFUNDABLE_PAYMENT_TYPES:
            # Midtrans refunds only cards, GoPay, ShopeePay, QRIS, DANA, OVO,
            # Kredivo and Akulaku: a bank transfer (virtual account) is refused.
            return _answer("412", "Merchant cannot modify the status of the transaction")
        if txn.transaction_status not in {"settlement", "capture", "partial_refund"}:
            return _answer("412", "Merchant cannot modify the status of the transaction")
        amount = int(data.get("amount") or (txn.gross_amount - txn.refunded_amount))
        if amount < 1 or txn.refunded_amount + amount > txn.gross_amount:
            return _answer("412", "Refund amount exceeds the refundable amount")
        txn.refunded_amount += amount
        txn.refund_keys = [*txn.refund_keys, key]
        txn.transaction_status = (
            "refund" if txn.refunded_amount == txn.gross_amount else "partial_refund"
        )
        txn.save(update_fields=["refunded_amount", "refund_keys", "transaction_status"])
    body = _body(txn)
    body.update(
        status_code="200",
        status_message="Success, refund is created",
        refund_amount=amount_string(amount),
        refund_key=key,
    )
    return JsonResponse(body)


@_api
@require_POST
def expire(request, order_id):
    with transaction.atomic():
        txn = _get(order_id)
        if txn is None:
            return _answer("404", "Transaction doesn't exist.")
        if txn.transaction_status != "pending":
            return _answer("412", "Merchant cannot modify the status of the transaction")
        txn.transaction_status = "expire"
        txn.save(update_fields=["transaction_status"])
    _deliver_later(txn)
    return JsonResponse(
        {**_body(txn), "status_code": "407", "status_message": "Success, transaction has expired"},
        status=200,
    )


def settle(order_id: str) -> tuple[SimTransaction | None, str]:
    """The shopper pays: pending -> settlement. Returns the row and what happened."""
    with transaction.atomic():
        txn = _get(order_id)
        if txn is None:
            return None, "unknown"
        _expire_if_due(txn)
        if txn.transaction_status != "pending":
            return txn, txn.transaction_status
        txn.transaction_status = "settlement"
        txn.save(update_fields=["transaction_status"])
    return txn, "settlement"


def dashboard_refund(order_id: str, amount: int) -> SimTransaction:
    """A refund made by the merchant in the gateway's dashboard (not through
    our API): the money goes back and the shop hears of it only by the
    notification (refund / partial_refund), as with Midtrans. Raises
    ValueError where the dashboard would refuse (virtual accounts, too much)."""
    with transaction.atomic():
        txn = _get(order_id)
        if txn is None or txn.payment_type not in REFUNDABLE_PAYMENT_TYPES:
            raise ValueError("not refundable")
        if txn.transaction_status not in {"settlement", "capture", "partial_refund"}:
            raise ValueError("not paid")
        if amount < 1 or txn.refunded_amount + amount > txn.gross_amount:
            raise ValueError("too much")
        txn.refunded_amount += amount
        txn.refund_keys = [*txn.refund_keys, f"dashboard-{uuid.uuid4().hex[:8]}"]
        txn.transaction_status = (
            "refund" if txn.refunded_amount == txn.gross_amount else "partial_refund"
        )
        txn.save(update_fields=["refunded_amount", "refund_keys", "transaction_status"])
    try:
        deliver(txn)
    except OSError as error:
        log.warning("simulator: refund notification for %s not delivered: %s", order_id, error)
    return txn


def notification_for(txn: SimTransaction) -> dict:
    body = _body(txn)
    body["status_message"] = "midtrans payment notification"
    body["settlement_time"] = _wib(timezone.now())
    body["signature_key"] = signature_for(
        body["order_id"], body["status_code"], body["gross_amount"], settings.MIDTRANS_SERVER_KEY
    )
    return body


def deliver(txn: SimTransaction) -> int:
    """POST the signed notification to the shop, as Midtrans does; the HTTP
    status. With MIDTRANS_SIMULATOR_DROP_NOTIFICATIONS on, it is lost on the
    way (the drills' lost notification): nothing is sent, 0 is returned."""
    if getattr(settings, "MIDTRANS_SIMULATOR_DROP_NOTIFICATIONS", False):
        log.warning("simulator: notification for %s lost (drill switch)", txn.order_id)
        return 0
    url = txn.notification_url or settings.SITE_URL + reverse("orders:gateway_notification")
    request = urllib.request.Request(
        url,
        data=json.dumps(notification_for(txn)).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def _deliver_later(txn: SimTransaction) -> None:
    def run():
        try:
            deliver(txn)
        except OSError:
            log.warning("simulator: notification for %s not delivered", txn.order_id)

    threading.Thread(target=run, daemon=True).start()


@_enabled
@csrf_exempt
@require_http_methods(["GET", "POST"])
def pay(request, order_id):
    """The simulator's payment page: what a banking app would do after a scan."""
    if request.method == "GET":
        txn = SimTransaction.objects.filter(order_id=order_id).first()
        if txn is None:
            raise Http404
        return render(
            request,
            "gatewaysim/pay.html",
            {"txn": txn, "next": request.GET.get("next", "")},
        )
    txn, outcome = settle(order_id)
    if txn is None:
        raise Http404
    delivered = None
    if outcome == "settlement":
        try:
            delivered = deliver(txn)
        except OSError as error:
            log.warning("simulator: notification for %s not delivered: %s", order_id, error)
    if request.content_type == "application/json":
        return JsonResponse({"outcome": outcome, "notification_http_status": delivered})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponse(status=303, headers={"Location": target})
    return render(request, "gatewaysim/pay.html", {"txn": txn, "outcome": outcome})
