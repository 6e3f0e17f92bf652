"""Add or remove a number on the WhatsApp opt-out list (a shopper who replied
"STOP" or asked by phone): `manage.py whatsapp_optout add 0812...`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.phone import normalize_phone
from notifications.models import WhatsAppOptOut


class Command(BaseCommand):
    help = "Tambah/hapus nomor yang menolak pesan WhatsApp."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["add", "remove", "list"])
        parser.add_argument("phones", nargs="*")
        parser.add_argument("--note", default="")

    def handle(self, action, phones, note, **options):
        if action == "list":
            for row in WhatsAppOptOut.objects.order_by("phone"):
                self.stdout.write(f"{row.phone}\t{row.note}")
            return
        if not phones:
            raise CommandError("Sebutkan minimal satu nomor.")
        for raw in phones:
            try:
                phone = normalize_phone(raw)
            except ValidationError as error:
                raise CommandError(f"{raw}: {error.messages[0]}") from None
            if action == "add":
                WhatsAppOptOut.objects.get_or_create(phone=phone, defaults={"note": note})
                self.stdout.write(f"{phone}: tidak akan dikirimi pesan WhatsApp.")
            else:
                WhatsAppOptOut.objects.filter(phone=phone).delete()
                self.stdout.write(f"{phone}: dihapus dari daftar penolakan.")
