"""The simulator's own ledger: the charges it was asked to make, as Midtrans
would hold them. Shared through the database so the web server, the worker and
`manage.py simulate_payment` see the same state."""

from django.db import models


class SimTransaction(models.Model):
    order_id = models.CharField(max_length=64, unique=True)
    transaction_id = models.CharField(max_length=64, unique=True)
    payment_type = models.CharField(max_length=20)
    bank = models.CharField(max_length=20, blank=True)
    gross_amount = models.PositiveBigIntegerField()
    transaction_status = models.CharField(max_length=20, default="pending")
    qr_string = models.TextField(blank=True)
    va_number = models.CharField(max_length=40, blank=True)
    notification_url = models.CharField(max_length=500, blank=True)
    expiry_time = models.DateTimeField()
    refunded_amount = models.PositiveBigIntegerField(default=0)
    refund_keys = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.order_id} {self.transaction_status}"


from gatewaysim.biteship_models import SimShipment  # noqa: E402,F401


class SimWhatsAppMessage(models.Model):
    """A template message the WhatsApp simulator accepted, as the phone would
    hold it; in the database so the web workers, the task worker and the
    inbox page all see the same messages (a list in one process would not)."""

    wamid = models.CharField(max_length=128, unique=True)
    to = models.CharField(max_length=20, db_index=True)
    template = models.CharField(max_length=512)
    language = models.CharField(max_length=16)
    params = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.to} {self.template}"

    def as_dict(self) -> dict:
        return {
            "id": self.wamid,
            "to": self.to,
            "template": self.template,
            "language": self.language,
            "params": self.params,
        }
