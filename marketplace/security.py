"""Login lockout glue for django-axes."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Every login over HTTP (the admin's login form, any shopper or staff form)
    passes its request to authenticate(), so it is counted and, after
    AXES_FAILURE_LIMIT failures, refused. Code that authenticates without a
    request (a management command, Django's test client) has no address to count
    by; axes would raise there, so those calls go straight to the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the trusted proxies in front of the app saw it.

    With TRUSTED_PROXY_COUNT proxies (nginx: 1), each appends the address it
    received from to X-Forwarded-For, so the client is that many entries from
    the right; anything further left was written by the client and is ignored.
    """
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
