from orders.cart import SESSION_KEY


def cart(request):
    """How many products are in the cart, for the header link; reads only the
    session the request already has, never the catalog."""
    session = getattr(request, "session", None)
    return {"cart_count": len(session.get(SESSION_KEY) or {}) if session is not None else 0}
