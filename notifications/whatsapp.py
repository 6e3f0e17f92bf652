"""WhatsApp Business Cloud API over its documented HTTP interface.

One call: POST {base}/{version}/{phone_number_id}/messages with a Bearer token
and a template message (https://developers.facebook.com/docs/whatsapp/cloud-api/
reference/messages). Success answers {"messages": [{"id": "wamid..."}]};
errors answer {"error": {"code": ..., "message": ...}}. The base URL and token
come from settings, so the same code talks to Meta or to the local simulator
(gatewaysim/whatsapp.py). Standard library only, as orders/midtrans.py.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings

log = logging.getLogger(__name__)

# Cloud API error codes worth retrying: rate limits and Meta-side trouble.
# Everything else (bad number 131026, template errors 132xxx, auth 190 ...) will
# fail the same way again.
TRANSIENT_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131048, 131056, 133004})

# Template parameters may not hold newlines, tabs or more than four spaces in a row.
_BAD_SPACE = re.compile(r"[\n\r\t]+| {5,}")


class WhatsAppError(Exception):
    def __init__(self, message: str, *, transient: bool, code: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.code = code


def is_configured() -> bool:
    """True when messages may be queued: a token (real or the simulator's) and a
    sender number. DEBUG off without a token: WhatsApp is not used at all."""
    return bool(
        settings.WHATSAPP_TOKEN
        and settings.WHATSAPP_PHONE_NUMBER_ID
        and settings.WHATSAPP_API_BASE_URL
    )


def recipient_digits(phone: str) -> str:
    """+6281234567890 -> 6281234567890, the form the Cloud API's "to" takes."""
    return "".join(ch for ch in phone if ch.isdigit())


def clean_param(value) -> str:
    return _BAD_SPACE.sub(" ", str(value)).strip() or "-"


def template_payload(*, to: str, template: str, params: list, language: str = "id") -> dict:
    body = {
        "type": "body",
        "parameters": [{"type": "text", "text": clean_param(p)} for p in params],
    }
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient_digits(to),
        "type": "template",
        "template": {"name": template, "language": {"code": language}, "components": [body]},
    }


class WhatsAppClient:
    def __init__(self, *, base_url=None, token=None, version=None, phone_number_id=None):
        self.base_url = (base_url or settings.WHATSAPP_API_BASE_URL).rstrip("/")
        self.token = token or settings.WHATSAPP_TOKEN
        self.version = version or settings.WHATSAPP_API_VERSION
        self.phone_number_id = phone_number_id or settings.WHATSAPP_PHONE_NUMBER_ID
        self.timeout = settings.WHATSAPP_TIMEOUT_SECONDS

    @property
    def url(self) -> str:
        return f"{self.base_url}/{self.version}/{self.phone_number_id}/messages"

    def send_template(self, *, to: str, template: str, params: list, language="id") -> str:
        """Send one template message; return the provider's message id (wamid)."""
        payload = template_payload(to=to, template=template, params=params, language=language)
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Accept": "application/json",
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise self._error_from(error) from None
        except (OSError, ValueError) as error:  # refused, timeout, DNS, bad JSON
            raise WhatsAppError(f"tidak terhubung ke WhatsApp: {error}", transient=True) from None
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise WhatsAppError(
                f"jawaban WhatsApp tanpa id pesan: {str(data)[:200]}", transient=True
            ) from None

    @staticmethod
    def _error_from(error: urllib.error.HTTPError) -> WhatsAppError:
        try:
            data = json.loads(error.read() or b"{}")
        except ValueError:
            data = {}
        detail = data.get("error") if isinstance(data, dict) else None
        detail = detail if isinstance(detail, dict) else {}
        code = detail.get("code")
        code = code if isinstance(code, int) else None
        message = str(detail.get("message") or error.reason or "")
        extra = (detail.get("error_data") or {}).get("details", "")
        text = f"HTTP {error.code}" + (f", kode {code}" if code else "") + f": {message}"
        if extra:
            text += f" ({extra})"
        transient = error.code >= 500 or error.code == 429 or code in TRANSIENT_CODES
        return WhatsAppError(text[:1000], transient=transient, code=code)
