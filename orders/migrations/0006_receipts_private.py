"""Receipts move from media/receipts/ (served to anyone holding the URL) to
media/private/receipts/, which only staff views hand out."""

from django.core.files.storage import default_storage
from django.db import migrations

OLD, NEW = "receipts/", "private/receipts/"


def move(apps, schema_editor, source, target):
    PaymentProof = apps.get_model("orders", "PaymentProof")
    for proof in PaymentProof.objects.filter(file__startswith=source).iterator():
        old = proof.file.name
        new = target + old[len(source) :]
        if default_storage.exists(old):
            with default_storage.open(old, "rb") as content:
                new = default_storage.save(new, content)
            default_storage.delete(old)
        proof.file.name = new
        proof.save(update_fields=["file"])


def forwards(apps, schema_editor):
    move(apps, schema_editor, OLD, NEW)


def backwards(apps, schema_editor):
    move(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_report_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
