"""Quote mail: the facility hears of a new request, an acceptance and a change
request; the buyer of each quote sent (with its private link)."""

from __future__ import annotations

from django.urls import reverse

from orders.mail import facility_recipients, render_and_send
from quotes.models import Quote, QuoteRequest


def send(kind: str, pk: int) -> None:
    if kind == "requested":
        request = QuoteRequest.objects.select_related("facility").filter(pk=pk).first()
        quote = None
    else:
        quote = Quote.objects.select_related("request__facility").filter(pk=pk).first()
        request = quote.request if quote else None
    if request is None:
        return
    context = {
        "kind": kind,
        "request": request,
        "quote": quote,
        "link": reverse("quotes:detail", kwargs={"token": request.token}),
        "admin_link": reverse("admin:quotes_quoterequest_change", args=[request.pk]),
    }
    to = [request.contact_email] if kind == "quoted" else facility_recipients(request.facility)
    render_and_send(
        "quotes/mail_subject.txt", "quotes/mail_body.txt", context, to, key=f"quotes.{kind}:{pk}"
    )
