from django.db import migrations, models


class Migration(migrations.Migration):
    """When the money was confirmed: pay-after-delivery orders (institutional
    buyers on terms) complete unpaid and are receivables until then."""

    dependencies = [("orders", "0018_invoices")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="paid_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="dibayar pada"
            ),
        ),
    ]
