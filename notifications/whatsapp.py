"""WhatsApp Business Cloud API client (template messages), behind a small interface.

POST {base}/{version}/{phone_number_id}/messages with a Bearer token; the reply
carries messages[0].id. Errors come as {"error": {"code": ..., "message": ...}}:
rate limits (130429, 131056, 80007) and server faults are transient and retried;
others (131026 undeliverable, 132001 template missing ...) are permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

TRANSIENT_CODES = {1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004}


class SendError(Exception):
    def __init__(self, message: str, *, transient: bool, code: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.code = code


@dataclass
class Sent:
    message_id: str


def enabled() -> bool:
    return bool(settings.WHATSAPP_TOKEN and settings.WHATSAPP_API_BASE_URL)


def send_template(*, to: str, template: str, params: list[str], language: str = "id") -> Sent:
    url = (
        f"{settings.WHATSAPP_API_BASE_URL.rstrip('/')}/{settings.WHATSAPP_API_VERSION}/"
        f"{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
    )
    body = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": template,
            "language": {"code": language},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": p} for p in params]}
            ],
        },
    }
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {settings.WHATSAPP_TOKEN}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 (configured URL)
            data = json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            err = json.loads(exc.read() or b"{}").get("error", {})
        except ValueError:
            err = {}
        code = err.get("code")
        transient = exc.code >= 500 or exc.code == 429 or code in TRANSIENT_CODES
        raise SendError(
            f"HTTP {exc.code} {code}: {err.get('message', '')}", transient=transient, code=code
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SendError(f"network: {exc}", transient=True) from exc
    try:
        return Sent(message_id=data["messages"][0]["id"])
    except (KeyError, IndexError, TypeError) as exc:
        raise SendError(f"unexpected reply: {data!r}", transient=True) from exc


def signature_valid(payload: bytes, header: str) -> bool:
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))
