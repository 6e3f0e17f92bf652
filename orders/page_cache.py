"""What the orders app tells the page cache (core.page_cache): the
header's cart count is a per-visitor value shared pages show by script, and
no order row appears on a public page."""


def register() -> None:
    """Called from OrdersConfig.ready()."""
    from django.apps import apps

    from core.page_cache import register_private_models, register_visitor_value
    from orders.context_processors import cart_count

    register_visitor_value("cart", cart_count)
    # Every table of the app, in every room (payments, delivery, documents,
    # privacy): none is ever shown on a public page.
    register_private_models(*apps.get_app_config("orders").get_models())
