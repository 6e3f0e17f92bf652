"""The Biteship simulator's ledger: the courier orders it was asked to book,
shared through the database so the server, the worker and
`manage.py simulate_shipment` see the same parcels."""

from django.db import models


class SimShipment(models.Model):
    biteship_id = models.CharField(max_length=40, unique=True)
    reference_id = models.CharField(max_length=64, unique=True)
    tracking_id = models.CharField(max_length=40, unique=True)
    waybill_id = models.CharField(max_length=40, unique=True)
    courier_company = models.CharField(max_length=20)
    courier_type = models.CharField(max_length=20)
    price = models.PositiveBigIntegerField()
    status = models.CharField(max_length=30, default="confirmed")
    history = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "gatewaysim"

    def __str__(self):
        return f"{self.waybill_id} {self.status}"
