from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    """One app (label `orders`, one migration history) in rooms: the order core
    here (carts, checkout, orders and their states), and sub-packages for
    payments, delivery, documents and privacy, each with its own models,
    services, admin and views. This is where they are put together."""

    name = "orders"
    verbose_name = _("Pesanan")

    def import_models(self):
        super().import_models()  # orders.models: the order core's tables
        # Each room's tables, under the same app label and db tables as when
        # they sat in orders/models_*.py (no migration moved them). They
        # import the core's models; the core never imports them.
        from orders.delivery import models as delivery_models  # noqa: F401
        from orders.documents import models as documents_models  # noqa: F401
        from orders.payments import models as payments_models  # noqa: F401
        from orders.privacy import models as privacy_models  # noqa: F401

    def ready(self):
        from orders import hooks, inbox, page_cache, tasks

        # Each room's desks register themselves (Django's admin autodiscovery
        # imports orders.admin alone).
        from orders.delivery import admin as delivery_admin  # noqa: F401
        from orders.delivery import bookings
        from orders.documents import admin as documents_admin  # noqa: F401
        from orders.documents import invoices
        from orders.payments import admin_gateway, admin_gateway_report, admin_statements  # noqa: F401
        from orders.payments import inbox as inbox_money
        from orders.payments import services as payments
        from orders.privacy import admin as privacy_admin  # noqa: F401

        inbox.register()  # its kinds of work in the officer's inbox (facilities.inbox)
        inbox_money.register()  # money waiting for a person (issue 29)
        page_cache.register()  # the cart count in shared pages; no order row is public
        # What the order core sets off in the rooms, and the tasks it queues
        # (orders.hooks): the core cannot import them, they import the core.
        hooks.invoices.provide(invoices)
        hooks.payments.provide(payments)
        hooks.courier_bookings.provide(bookings)
        hooks.tasks.provide(tasks)
        from core.page_registry import register_slot

        # The cart form on catalog's product page (catalog may not name orders).
        register_slot("product_buy", "orders/partials/product_buy.html")
