"""What the shared HTTP cache in front of the app (the edge: Varnish here, a
CDN elsewhere) may keep, and the few cookies that carry per-visitor values
past it. See docs/edge-cache.md.

- Public pages (core.page_cache) answer `Cache-Control: public, max-age=0,
  s-maxage=...` with their tags in `Surrogate-Key`; `mark_public` writes both.
- Every other answer that says nothing of caching is private and no-store
  (`EdgeMiddleware`): carts, checkout, admin, Pesanan saya, POSTs.
- Shared pages carry nothing per visitor, so what they show per visitor
  travels beside them: `kb_<name>` cookies the script reads (the cart count,
  `register_visitor_value`), `kb_msg` while messages wait (the script then
  fetches /sesi.json), and `kb_staff` for a browser signed in as staff, which
  the edge passes to the app and the page cache builds pages for
  (deploy/varnish/cache.vcl).
"""

from urllib.parse import quote

from django.conf import settings
from django.utils.cache import patch_cache_control

from core.page_registry import visitor_values

STAFF_COOKIE = "kb_staff"
MESSAGES_COOKIE = "kb_msg"
VISITOR_COOKIE_PREFIX = "kb_"
# While a node (or every node) is down, the edge may hand out pages this old
# (deploy/varnish/default.vcl's grace matches it).
STALE_IF_ERROR_SECONDS = 6 * 3600


def edge_tag(tag: str) -> str:
    """A page cache tag as one word of `Surrogate-Key` and `xkey-purge`
    (tags hold spaces: "Jawa Timur"), spelled as the tag's cache key."""
    return quote(tag, safe=":-_.")


def mark_public(response, tags, *, seconds: int):
    """The same page for everyone: the edge keeps it `seconds`, serves it a
    while longer stale while it fetches it again, and much longer while the
    app is down; a purge of any of `tags` drops it."""
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={seconds}, "
        f"stale-while-revalidate={max(seconds, 1)}, stale-if-error={STALE_IF_ERROR_SECONDS}"
    )
    response["Surrogate-Key"] = " ".join(sorted(edge_tag(tag) for tag in tags))
    return response


def mark_private(response):
    """Built for one visitor: no shared cache may keep it."""
    if "Surrogate-Key" in response:
        del response["Surrogate-Key"]
    cache_control = response.get("Cache-Control", "")
    if "public" in cache_control:
        del response["Cache-Control"]
    patch_cache_control(response, private=True, no_store=True)
    return response


def staff_browser(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class EdgeMiddleware:
    """After the session, auth and messages middleware: answers that say
    nothing of caching become private, and the per-visitor cookies the
    script reads follow the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" in response.get("Cache-Control", ""):
            return response  # a shared page (or a feed): nothing per visitor
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        session = getattr(request, "session", None)
        if session is not None and (session.accessed or session.modified):
            self._visitor_values(request, response)
        if session is not None and (session.accessed or STAFF_COOKIE in request.COOKIES):
            self._staff(request, response)
        self._messages(request, response)
        return response

    def _set(self, response, name: str, value: str, *, httponly: bool = False) -> None:
        response.set_cookie(
            name,
            value,
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE or None,
            httponly=httponly,
            samesite="Lax",
        )

    def _visitor_values(self, request, response) -> None:
        for name, value in visitor_values().items():
            cookie = VISITOR_COOKIE_PREFIX + name
            current = str(value(request))
            if request.COOKIES.get(cookie, "") == current:
                continue
            if current:
                self._set(response, cookie, current)
            else:
                response.delete_cookie(cookie, samesite="Lax")

    def _staff(self, request, response) -> None:
        is_staff = staff_browser(request)
        if is_staff and STAFF_COOKIE not in request.COOKIES:
            self._set(response, STAFF_COOKIE, "1", httponly=True)
        elif not is_staff and STAFF_COOKIE in request.COOKIES:
            response.delete_cookie(STAFF_COOKIE, samesite="Lax")

    def _messages(self, request, response) -> None:
        storage = getattr(request, "_messages", None)
        if storage is None:
            return
        if storage.used:
            if MESSAGES_COOKIE in request.COOKIES:
                response.delete_cookie(MESSAGES_COOKIE, samesite="Lax")
        elif storage.added_new and MESSAGES_COOKIE not in request.COOKIES:
            self._set(response, MESSAGES_COOKIE, "1")
