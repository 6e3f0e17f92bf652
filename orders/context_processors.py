from django.utils.html import format_html

from orders.cart import SESSION_KEY


def cart_count(request) -> str:
    """How many lines this visitor's cart holds ("" for none); reads only the
    session, never the catalog. Shared pages show it from the `kb_cart`
    cookie (registered in orders.page_cache, read by static/js/site.js)."""
    session = getattr(request, "session", None)
    count = len(session.get(SESSION_KEY) or {}) if session is not None else 0
    return str(count) if count else ""


def cart_badge(request) -> str:
    """The header's cart count for this visitor (' <span class="cart-count">(2)</span>',
    or nothing for an empty cart)."""
    count = cart_count(request)
    return format_html(' <span class="cart-count">({})</span>', count) if count else ""


def cart(request):
    """`cart_badge` for the header link; a page shared between visitors
    (core.page_cache sets `request.public_page`) shows none: the script
    writes it from the visitor's cookie."""
    if getattr(request, "public_page", False):
        return {"cart_badge": ""}
    return {"cart_badge": cart_badge(request)}
