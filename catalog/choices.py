"""The listing's status, below catalog.models and its submodules (the review
history records a move between two of these) so neither imports the other."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListingStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PENDING_REVIEW = "pending_review", _("Menunggu tinjauan")
    APPROVED = "approved", _("Disetujui")
    CHANGES_REQUESTED = "changes_requested", _("Perlu perbaikan")
    REJECTED = "rejected", _("Ditolak")
    ARCHIVED = "archived", _("Diarsipkan")
