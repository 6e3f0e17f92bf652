from django.core.management import call_command

from facilities.models import Facility
from orders.models import Checkout, DeliverySettings, Order, ShippingRate


def test_seeds_give_every_facility_delivery_and_demo_orders(db, settings, media):
    settings.DEBUG = True
    call_command("load_seeds")
    counts = (DeliverySettings.objects.count(), ShippingRate.objects.count(), Order.objects.count())
    call_command("load_seeds")  # idempotent
    assert (
        DeliverySettings.objects.count(),
        ShippingRate.objects.count(),
        Order.objects.count(),
    ) == counts
    assert DeliverySettings.objects.count() == Facility.objects.count()
    for facility in Facility.objects.all():
        # Every facility ships at least within its own province.
        assert facility.shipping_rates.filter(province=facility.province).exists()
    statuses = set(Order.objects.values_list("status", flat=True))
    assert {"awaiting_payment", "paid", "shipped", "ready_for_pickup", "completed"} <= statuses
    assert {"cancelled"} <= statuses
    assert Checkout.objects.filter(idempotency_key__startswith="seed-demo-order-").count() == 7
