"""A local stand-in for the WhatsApp Business Cloud API's messages endpoint:
same path, Bearer token, payload checks and JSON answers, so the shop's real
client (notifications/whatsapp.py) is what the demo and the tests exercise.

Answers only while settings.WHATSAPP_SIMULATOR is on (DEBUG without a real
token); otherwise every path is a 404. What it accepted is stored
(SimWhatsAppMessage) and listed at /_simulator/whatsapp/ as the phones would
show it. Recipients ending in 0000 are refused as numbers without WhatsApp
(code 131026, permanent); ending in 0429 the rate limit (130429, retry).
"""

from __future__ import annotations

import json
import re
import secrets
from functools import wraps

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from gatewaysim.models import SimWhatsAppMessage

_TO = re.compile(r"^\d{8,15}$")


def _error(http: int, code: int, message: str, details: str = "", kind="OAuthException"):
    error = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": "SIM" + secrets.token_hex(8),
    }
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return JsonResponse({"error": error}, status=http)


def _enabled(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.WHATSAPP_SIMULATOR:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _invalid(details: str):
    return _error(400, 100, "(#100) Invalid parameter", details)


def _check(data) -> tuple[str, dict] | JsonResponse:
    """The Cloud API's own refusals of a malformed template message."""
    if not isinstance(data, dict) or data.get("messaging_product") != "whatsapp":
        return _invalid("messaging_product must be 'whatsapp'")
    to = data.get("to")
    if not isinstance(to, str) or not _TO.match(to):
        return _invalid("to must be a phone number in international format, digits only")
    if data.get("type") != "template":
        return _invalid("type must be 'template' outside a customer service window")
    template = data.get("template")
    if not isinstance(template, dict) or not isinstance(template.get("name"), str):
        return _invalid("template.name is required")
    language = template.get("language")
    if not isinstance(language, dict) or not isinstance(language.get("code"), str):
        return _invalid("template.language.code is required")
    for component in template.get("components") or []:
        if not isinstance(component, dict) or component.get("type") not in {
            "header",
            "body",
            "button",
        }:
            return _invalid("template.components[].type is invalid")
        for parameter in component.get("parameters") or []:
            text = parameter.get("text") if isinstance(parameter, dict) else None
            if parameter.get("type") != "text" or not isinstance(text, str) or not text:
                return _invalid("only non-empty text parameters are supported here")
            if re.search(r"[\n\t]| {5,}", text):
                return _error(
                    400,
                    132018,
                    "There was an issue with the parameters in your template.",
                    "Param text cannot have new-line/tab characters or more than 4 "
                    "consecutive spaces",
                )
    return to, template


@_enabled
@csrf_exempt
@require_POST
def messages(request, version, phone_number_id):
    if request.headers.get("Authorization", "") != f"Bearer {settings.WHATSAPP_SIMULATOR_TOKEN}":
        return _error(401, 190, "Invalid OAuth access token - Cannot parse access token")
    if phone_number_id != settings.WHATSAPP_PHONE_NUMBER_ID:
        return _error(
            400,
            100,
            f"Unsupported post request. Object with ID '{phone_number_id}' does not exist",
            kind="GraphMethodException",
        )
    try:
        data = json.loads(request.body)
    except ValueError:
        return _invalid("the body is not JSON")
    checked = _check(data)
    if isinstance(checked, JsonResponse):
        return checked
    to, template = checked
    params = [
        p["text"]
        for c in template.get("components") or []
        if c.get("type") == "body"
        for p in c.get("parameters") or []
    ]
    error_code = 131026 if to.endswith("0000") else 130429 if to.endswith("0429") else None
    stored = SimWhatsAppMessage.objects.create(
        wamid="wamid.SIM" + secrets.token_hex(16),
        phone_number_id=phone_number_id,
        to=to,
        template=template["name"],
        language=template["language"]["code"],
        params=params,
        payload=data,
        error_code=error_code,
    )
    if error_code == 131026:
        return _error(
            400,
            131026,
            "Message undeliverable",
            "Unable to deliver message: the recipient is not a WhatsApp user.",
        )
    if error_code == 130429:
        return _error(429, 130429, "Rate limit hit", "Cloud API message throughput reached.")
    return JsonResponse(
        {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": stored.wamid, "message_status": "accepted"}],
        }
    )


@_enabled
@require_GET
def inbox(request):
    from notifications.templates import BODIES

    rows = []
    for message in SimWhatsAppMessage.objects.filter(error_code=None)[:50]:
        text = BODIES.get(message.template, message.template)
        for number, value in enumerate(message.params, start=1):
            text = text.replace("{{" + str(number) + "}}", value)
        rows.append({"message": message, "text": text})
    return render(request, "gatewaysim/whatsapp_inbox.html", {"rows": rows})
