"""Local stand-in for the WhatsApp Business Cloud API (template messages).

Same path shape (/{version}/{phone_number_id}/messages), bearer token check,
template payload validation and reply shape (messages[0].id). Numbers ending
in 0000 fail permanently (131026 undeliverable), numbers ending in 9999 are
rate limited (130429). Sent messages are kept in the database (SimWhatsAppMessage:
every worker sees them) for the inbox page, and a signed "delivered" status
webhook can be emitted to our endpoint.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def received(to: str | None = None) -> list[dict]:
    """What the simulator accepted (oldest first), for one number or all."""
    from gatewaysim.models import SimWhatsAppMessage

    rows = SimWhatsAppMessage.objects.all()
    if to is not None:
        rows = rows.filter(to=to.lstrip("+"))
    return [row.as_dict() for row in rows]


def _on():
    if not settings.WHATSAPP_SIMULATOR and not getattr(settings, "WHATSAPP_SIMULATOR_FORCE", False):
        raise Http404


def _error(status, code, message):
    return JsonResponse(
        {"error": {"message": message, "type": "OAuthException", "code": code}}, status=status
    )


@csrf_exempt
def messages(request, version, phone_number_id):
    _on()
    if request.method != "POST":
        return _error(405, 100, "POST only")
    if request.headers.get("Authorization") != f"Bearer {settings.WHATSAPP_TOKEN}":
        return _error(401, 190, "Invalid OAuth access token")
    if phone_number_id != settings.WHATSAPP_PHONE_NUMBER_ID:
        return _error(400, 100, "Unknown phone number id")
    try:
        body = json.loads(request.body)
        assert body["messaging_product"] == "whatsapp"
        assert body["type"] == "template"
        to = str(body["to"])
        tpl = body["template"]
        name = tpl["name"]
        lang = tpl["language"]["code"]
        params = [
            p["text"]
            for c in tpl.get("components", [])
            if c.get("type") == "body"
            for p in c.get("parameters", [])
        ]
    except (ValueError, KeyError, TypeError, AssertionError):
        return _error(400, 100, "Invalid parameter")
    if to.endswith("9999"):
        return _error(429, 130429, "Rate limit hit")
    if to.endswith("0000"):
        return _error(400, 131026, "Message undeliverable")
    wamid = "wamid.SIM" + uuid.uuid4().hex
    from gatewaysim.models import SimWhatsAppMessage

    SimWhatsAppMessage.objects.create(
        wamid=wamid, to=to, template=name, language=lang, params=params
    )
    return JsonResponse(
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid, "message_status": "accepted"}],
        }
    )


def status_payload(wamid: str, to: str, status: str) -> bytes:
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "0",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "statuses": [{"id": wamid, "status": status, "recipient_id": to}],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def sign(payload: bytes) -> str:
    return (
        "sha256="
        + hmac.new(settings.WHATSAPP_APP_SECRET.encode(), payload, hashlib.sha256).hexdigest()
    )


def inbox(request, phone):
    """A phone-like page with the messages the simulator took for one number."""
    _on()
    items = received(phone)
    return render(request, "gatewaysim/whatsapp_inbox.html", {"phone": phone, "items": items})
