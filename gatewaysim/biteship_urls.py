from django.urls import path

from gatewaysim import biteship, biteship_maps, biteship_orders

app_name = "biteshipsim"

urlpatterns = [
    path("v1/maps/areas", biteship_maps.areas, name="areas"),
    path("v1/rates/couriers", biteship.rates, name="rates"),
    path("v1/orders", biteship_orders.orders, name="orders"),
    path("v1/orders/<str:order_id>", biteship_orders.order, name="order"),
    path("v1/orders/<str:order_id>/cancel", biteship_orders.cancel, name="order_cancel"),
    path("v1/trackings/<str:tracking_id>", biteship.tracking, name="tracking"),
    path(
        "v1/trackings/<str:waybill_id>/couriers/<str:courier>",
        biteship.public_tracking,
        name="public_tracking",
    ),
    path("lacak/<str:waybill_id>/", biteship.page, name="page"),
]
