"""What a refused quote step raises; the messages are ready to show (Indonesian)."""

from __future__ import annotations

from django.utils.translation import gettext as _


class QuoteError(Exception):
    """A refused step; the message is ready to show (Indonesian)."""


class QuoteUnfillable(QuoteError):
    """Accepting failed because the quote can no longer be filled (stock gone,
    a product withdrawn): the buyer is told why and offered a new version in
    one tap (quotes.requote)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            _("Penawaran ini tidak bisa dipenuhi lagi: %(why)s Minta versi baru ke UPT.")
            % {"why": " ".join(self.problems)}
        )
