"""Midtrans Core API over its documented HTTP interface.

Paths, payloads and the notification signature are Midtrans's own
(https://docs.midtrans.com): POST /v2/charge, GET /v2/<order_id>/status,
POST /v2/<order_id>/refund, POST /v2/<order_id>/expire; HTTP Basic auth with
the server key as user name; notifications signed with
SHA512(order_id + status_code + gross_amount + server_key). The base URL and
key come from settings, so the same code talks to the sandbox, production, or
the local simulator (gatewaysim/) that the demo and the tests use.

Only the standard library: one JSON POST/GET with a timeout needs nothing more.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings

from core.json_http import JsonHTTPError, json_request

log = logging.getLogger(__name__)

# Our channel code -> the charge request's payment part.
CHANNELS: dict[str, dict] = {
    "qris": {"payment_type": "qris", "qris": {"acquirer": "gopay"}},
    "bca_va": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bca"}},
    "bni_va": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bni"}},
    "bri_va": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "bri"}},
    "permata_va": {"payment_type": "bank_transfer", "bank_transfer": {"bank": "permata"}},
    "gopay": {"payment_type": "gopay", "gopay": {"enable_callback": False}},
    "shopeepay": {"payment_type": "shopeepay", "shopeepay": {}},
}

# transaction_status values that mean money arrived, that the charge is over
# unpaid, and that money went back (from our refund call or the dashboard).
PAID_STATUSES = frozenset({"settlement", "capture"})
FAILED_STATUSES = frozenset({"expire", "cancel", "deny", "failure"})
REFUND_STATUSES = frozenset({"refund", "partial_refund"})

# Midtrans refunds only these payment types (its Refund API docs: card, GoPay,
# ShopeePay, QRIS, DANA, OVO, Kredivo, Akulaku); a bank transfer / virtual
# account is refused (412), so its money goes back by a person's transfer.
REFUNDABLE_PAYMENT_TYPES = frozenset(
    {"credit_card", "gopay", "shopeepay", "qris", "dana", "ovo", "kredivo", "akulaku"}
)


def channel_refundable(channel: str) -> bool:
    """Whether the gateway itself can give back money paid through our channel."""
    return CHANNELS.get(channel, {}).get("payment_type") in REFUNDABLE_PAYMENT_TYPES


class GatewayError(Exception):
    """The gateway could not be reached or refused the request."""

    def __init__(
        self, message: str, *, status_code: str = "", body: dict | None = None, unsent=False
    ):
        super().__init__(message)
        self.status_code = status_code
        self.body = body or {}
        # The request never reached the gateway (refused connection): nothing
        # was done there. A timeout is not this: the charge may exist.
        self.unsent = unsent

    @property
    def refused(self) -> bool:
        """The gateway answered with a 4xx: it did not do what was asked."""
        return bool(self.status_code) and self.status_code[0] == "4"


def is_configured() -> bool:
    """True when the gateway may be offered: a server key (real or the simulator's)."""
    return bool(settings.MIDTRANS_SERVER_KEY and settings.MIDTRANS_BASE_URL)


def signature_for(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    raw = f"{order_id}{status_code}{gross_amount}{server_key}".encode()
    return hashlib.sha512(raw).hexdigest()


def verify_notification(payload: dict) -> bool:
    """The notification's signature_key matches our server key (constant-time)."""
    fields = [payload.get(k) for k in ("order_id", "status_code", "gross_amount", "signature_key")]
    if not all(isinstance(v, str) and v for v in fields):
        return False
    order_id, status_code, gross_amount, signature = fields
    expected = signature_for(order_id, status_code, gross_amount, settings.MIDTRANS_SERVER_KEY)
    return hmac.compare_digest(expected, signature.lower())


def amount_string(amount: int) -> str:
    """Midtrans writes gross_amount with two decimals in responses and notifications."""
    return f"{amount}.00"


@dataclass
class Charge:
    transaction_id: str
    transaction_status: str
    qr_string: str
    va_number: str
    deeplink_url: str
    expiry_time: str
    raw: dict

    @classmethod
    def from_answer(cls, data: dict) -> Charge:
        """From a charge answer or a status answer (same field names)."""
        va = data.get("permata_va_number") or next(
            (v.get("va_number", "") for v in data.get("va_numbers") or []), ""
        )
        deeplink = next(
            (
                a.get("url", "")
                for a in data.get("actions") or []
                if a.get("name") == "deeplink-redirect"
            ),
            "",
        )
        return cls(
            transaction_id=str(data.get("transaction_id", "")),
            transaction_status=str(data.get("transaction_status", "")),
            qr_string=str(data.get("qr_string", "")),
            va_number=str(va),
            deeplink_url=str(deeplink),
            expiry_time=str(data.get("expiry_time", "")),
            raw=data,
        )


class MidtransClient:
    def __init__(self, *, base_url: str | None = None, server_key: str | None = None):
        self.base_url = (base_url or settings.MIDTRANS_BASE_URL).rstrip("/")
        self.server_key = server_key or settings.MIDTRANS_SERVER_KEY
        self.timeout = settings.MIDTRANS_TIMEOUT_SECONDS

    def _request(
        self, method: str, path: str, body: dict | None = None, headers=None, ok=()
    ) -> dict:
        token = base64.b64encode(f"{self.server_key}:".encode()).decode()
        try:
            data = json_request(
                self.base_url + path,
                method=method,
                body=body,
                headers={"Authorization": f"Basic {token}", **(headers or {})},
                timeout=self.timeout,
            )
        except JsonHTTPError as error:
            if error.status is None:
                raise GatewayError(f"{method} {path}: {error}", unsent=error.unsent) from None
            raise GatewayError(
                f"{method} {path}: HTTP {error.status}",
                status_code=str(error.body.get("status_code", error.status)),
                body=error.body,
            ) from None
        # Midtrans answers some refusals with HTTP 200 and an error status_code.
        code = str(data.get("status_code", "200"))
        if not code.startswith("2") and code not in ok:
            raise GatewayError(
                f"{method} {path}: {code} {data.get('status_message', '')}",
                status_code=code,
                body=data,
            )
        return data

    def charge(
        self,
        *,
        order_id: str,
        gross_amount: int,
        channel: str,
        expiry_minutes: int,
        customer: dict,
        items: list[dict],
        notification_url: str = "",
    ) -> Charge:
        body = {
            **CHANNELS[channel],
            "transaction_details": {"order_id": order_id, "gross_amount": gross_amount},
            "customer_details": customer,
            "item_details": items,
            "custom_expiry": {"expiry_duration": expiry_minutes, "unit": "minute"},
        }
        headers = {"X-Override-Notification": notification_url} if notification_url else None
        return Charge.from_answer(self._request("POST", "/v2/charge", body, headers))

    def status(self, order_id: str) -> dict:
        return self._request("GET", f"/v2/{order_id}/status")

    def refund(self, order_id: str, *, refund_key: str, amount: int, reason: str) -> dict:
        body = {"refund_key": refund_key, "amount": amount, "reason": reason[:255]}
        return self._request("POST", f"/v2/{order_id}/refund", body)

    def expire(self, order_id: str) -> dict:
        # Midtrans answers a successful expire with status_code 407
        # ("Success, transaction has expired"), not a 2xx.
        return self._request("POST", f"/v2/{order_id}/expire", ok=("407",))
