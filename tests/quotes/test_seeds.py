from django.core.management import call_command

from quotes.models import QuoteRequest, RequestStatus


def test_demo_seeds_hold_one_open_request_and_one_accepted_quote(db, settings, media):
    settings.DEBUG = True
    call_command("load_seeds")
    call_command("load_seeds")  # idempotent
    statuses = sorted(QuoteRequest.objects.values_list("status", flat=True))
    assert statuses == sorted([RequestStatus.OPEN, RequestStatus.ACCEPTED])
    accepted = QuoteRequest.objects.get(status=RequestStatus.ACCEPTED)
    assert accepted.order.payment_terms_days == 30
    assert accepted.order.buyer_organisation == "CV Bangun Sultra (demo)"
