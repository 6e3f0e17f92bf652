"""What the shopper's session remembers between the order pages: the checkouts
and tracked orders this browser may open without typing the phone again."""

from __future__ import annotations

CHECKOUTS_KEY = "kb_checkouts"


def remember(request, key: str, *codes: str) -> None:
    """Codes this browser may open without typing the phone number again."""
    known = list(request.session.get(key, []))
    for code in codes:
        if code not in known:
            known.append(code)
    request.session[key] = known[-50:]


def form_errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
