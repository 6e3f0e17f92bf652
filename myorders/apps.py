from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MyOrdersConfig(AppConfig):
    """ "Pesanan saya": every order and quote of one phone, after a one-time code.

    It sits above orders, quotes and notifications (it lists the first two and
    sends its code through the third), so it is an app of its own in the
    layers contract rather than a room of orders. It has no models: the code
    and the sign-in live in the session, the limits in core.rate_limits."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "myorders"
    verbose_name = _("Pesanan saya")
