"""What the orders app tells the page cache (core.page_cache): the
header's cart count is per visitor in shared pages, and no order row appears
on a public page."""


def register() -> None:
    """Called from OrdersConfig.ready()."""
    from django.apps import apps

    from core.page_cache import register_fragment, register_private_models
    from orders.context_processors import cart_badge

    register_fragment("cart", cart_badge)
    # Every table of the app, in every room (payments, delivery, documents,
    # privacy): none is ever shown on a public page.
    register_private_models(*apps.get_app_config("orders").get_models())
