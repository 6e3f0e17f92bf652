from django.utils.html import format_html

from orders.cart import SESSION_KEY


def cart_badge(request) -> str:
    """The header's cart count for this visitor (' <span class="cart-count">(2)</span>',
    or nothing for an empty cart); reads only the session, never the catalog."""
    session = getattr(request, "session", None)
    count = len(session.get(SESSION_KEY) or {}) if session is not None else 0
    return format_html(' <span class="cart-count">({})</span>', count) if count else ""


def cart(request):
    """`cart_badge` for the header link. A page built to be shared between
    visitors (core.page_cache) sets `request.shared_page_placeholders`;
    the page then holds the "cart" placeholder, filled with each visitor's
    own count when it is served (registered in orders.page_cache)."""
    placeholder = getattr(request, "shared_page_placeholders", {}).get("cart")
    return {"cart_badge": placeholder if placeholder is not None else cart_badge(request)}
