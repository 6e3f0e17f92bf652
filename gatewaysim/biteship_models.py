"""The Biteship simulator's ledger: the courier orders it was asked to book,
shared through the database so the server, the worker and
`manage.py simulate_shipment` see the same parcels."""

from django.db import models


class SimShipment(models.Model):
    biteship_id = models.CharField(max_length=40, unique=True)
    # Not unique: Biteship does not refuse a second order with the same
    # reference_id, so neither does its stand-in (a careless retry books twice).
    reference_id = models.CharField(max_length=64, db_index=True)
    tracking_id = models.CharField(max_length=40, unique=True)
    # Null until the courier gives the resi ("waybill pending").
    waybill_id = models.CharField(max_length=40, unique=True, null=True, blank=True)
    courier_company = models.CharField(max_length=20)
    courier_type = models.CharField(max_length=20)
    price = models.PositiveBigIntegerField()
    status = models.CharField(max_length=30, default="confirmed")
    history = models.JSONField(default=list)
    cancellation_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "gatewaysim"

    def __str__(self):
        return f"{self.waybill_id} {self.status}"
