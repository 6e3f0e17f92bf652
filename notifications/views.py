"""WhatsApp webhook: GET verification handshake, POST signed status/inbound events."""

import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt

from notifications import services, whatsapp

STOP_WORDS = {"BERHENTI", "STOP"}


@csrf_exempt
def webhook(request):
    if request.method == "GET":
        if (
            request.GET.get("hub.mode") == "subscribe"
            and settings.WHATSAPP_VERIFY_TOKEN
            and request.GET.get("hub.verify_token") == settings.WHATSAPP_VERIFY_TOKEN
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponseForbidden()
    if request.method != "POST":
        return HttpResponse(status=405)
    if not whatsapp.signature_valid(request.body, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponseForbidden()
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    for entry in payload.get("entry", []):
        for change in entry.get("changes", []):
            value = change.get("value", {})
            for st in value.get("statuses", []):
                errors = st.get("errors") or [{}]
                services.status_apply(
                    provider_message_id=st.get("id", ""),
                    status=st.get("status", ""),
                    error=f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip(),
                )
            for msg in value.get("messages", []):
                text = (msg.get("text") or {}).get("body", "").strip().upper()
                if text in STOP_WORDS and msg.get("from"):
                    services.optout_record(phone=msg["from"], source="whatsapp")
    return HttpResponse("ok")
