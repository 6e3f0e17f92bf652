"""Response hardening that Django's SecurityMiddleware and django-csp leave out."""

from __future__ import annotations

import mimetypes
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.rate_limits import rate_limit
from core.security import CLIENT_ADDR_META, client_ip

# What an uploaded file may be shown inline as; anything else is offered as a
# download, so a polyglot or an SVG never renders as a page of ours.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"}
# Uploaded files are documents from strangers: they may load nothing, run
# nothing, and sit in a sandbox with no origin even if a browser renders them.
MEDIA_CSP = "default-src 'none'; img-src 'self'; sandbox"


class TrustedProxyMiddleware:
    """Put the client's own address in REMOTE_ADDR when trusted proxies stand in front.

    Behind nginx every request arrives from 127.0.0.1 (gunicorn does not read
    X-Forwarded-For), so anything counting per address (tracking guesses,
    rate limits, login lockouts, logs) would count all shoppers as one. A
    request whose peer is in TRUSTED_PROXIES gets the address that proxy saw
    (core.security.client_ip); from anyone else the header is ignored.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        address = client_ip(request)
        request.META[CLIENT_ADDR_META] = address
        request.META["REMOTE_ADDR"] = address
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request body above MAX_REQUEST_BODY_SIZE with 413, unread.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams any size
    of file upload to disk; this puts one ceiling on the whole body. Under WSGI a
    body without Content-Length (chunked) reads as empty, so the header is the
    whole story here; nginx's client_max_body_size is the outer fence.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(
                _("Permintaan tidak valid."), status=400, content_type="text/plain; charset=utf-8"
            )
        if length > settings.MAX_REQUEST_BODY_SIZE:
            limit_mb = settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024)
            return HttpResponse(
                _("Kiriman terlalu besar (batas %(mb)s MB).") % {"mb": limit_mb},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class RejectNullBytesMiddleware:
    """Answer 400 to a NUL character in the path or a query/form parameter.

    PostgreSQL text cannot hold NUL, so such a value reaching a query is a 500
    in any view that forgot to check; no honest browser sends one. Multipart
    bodies (file uploads) are left alone: binary files are full of zero bytes,
    and their text fields still pass Django's form validation, which refuses NUL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if "\x00" in request.path or self._has_nul(request.GET):
            return self._refuse()
        form_post = (
            request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        )
        if form_post and self._has_nul(request.POST):
            return self._refuse()
        return self.get_response(request)

    @staticmethod
    def _has_nul(params) -> bool:
        return any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in params.lists()
        )

    @staticmethod
    def _refuse() -> HttpResponse:
        return HttpResponse(
            _("Permintaan tidak valid."), status=400, content_type="text/plain; charset=utf-8"
        )


class PostRateLimitMiddleware:
    """Throttle public POSTs that make work whatever their outcome: receipt uploads.

    POST_RATE_LIMITS lists (path regex, limit name); each POST to a matching
    path counts against that limit in settings.RATE_LIMITS
    (core.rate_limits, shared by every worker), before the view reads
    the upload. Checkouts and tracking guesses are counted by their views,
    which know whether an order was placed or a guess failed.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.rules = [
            (re.compile(pattern), rate_limit(name)) for pattern, name in settings.POST_RATE_LIMITS
        ]

    def __call__(self, request: HttpRequest):
        if request.method == "POST":
            for pattern, limit in self.rules:
                if pattern.match(request.path_info) and not limit.consume(request):
                    return render(request, "429.html", status=429)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; a no-script sandbox on uploaded files.

    In production nginx (or the object store) serves /media/ with the same
    headers (docs/operations.md, "nginx, static and media"); in development Django's static() view
    serves it and this middleware adds them.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        media_url = settings.MEDIA_URL
        self.media_prefix = media_url if media_url.startswith("/") else None

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if self.media_prefix and request.path.startswith(self.media_prefix):
            self._harden_media(request, response)
        return response

    @staticmethod
    def _harden_media(request: HttpRequest, response) -> None:
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = MEDIA_CSP
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        guessed, _encoding = mimetypes.guess_type(request.path)
        if content_type not in INLINE_MEDIA_TYPES or guessed not in INLINE_MEDIA_TYPES:
            response["Content-Disposition"] = "attachment"
