from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Pesanan")

    def ready(self):
        from orders import inbox, inbox_money

        inbox.register()  # its kinds of work in the officer's inbox (facilities.inbox)
        inbox_money.register()  # money waiting for a person (issue 29)
        # The privacy admin lives in its own module (orders.admin_privacy).
        from orders import admin_privacy  # noqa: F401
        from orders.page_cache import register

        register()  # the cart count in shared pages; no order row is public
        from core.page_registry import register_slot

        # The cart form on catalog's product page (catalog may not name orders).
        register_slot("product_buy", "orders/partials/product_buy.html")
