"""A new version in one tap, for a buyer whose quote can no longer be filled."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from quotes import services
from quotes.errors import QuoteError
from quotes.models import Quote, QuoteRequest
from quotes.stock import requote_note, short_lines


def quote_requote(*, request: QuoteRequest, quote_id: int) -> Quote:
    """A change request that says which lines are short, so staff send a new
    version. Raises QuoteError when the quote cannot be answered, or can be
    filled after all (then the buyer should simply accept it)."""
    with transaction.atomic():
        locked = services._lock_request(request.pk)
        quote = services._answerable(locked, quote_id)
        problems = short_lines(quote)
        if not problems:
            raise QuoteError(_("Penawaran ini masih bisa dipenuhi; silakan setujui."))
        return services.quote_request_change(
            request=locked, quote_id=quote_id, note=requote_note(problems, quote.version)
        )
