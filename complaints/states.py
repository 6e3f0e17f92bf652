"""The complaint status machine: the statuses, every allowed move and who may
make it. The statuses are declared here (complaints.models re-exports them), so
the machine needs no model and the models import it one way."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Menunggu jawaban UPT")
    ANSWERED = "answered", _("Dijawab UPT")
    RESOLVED = "resolved", _("Selesai (disetujui pembeli)")
    ESCALATED = "escalated", _("Diteruskan ke Kanwil")
    DECIDED = "decided", _("Diputuskan Kanwil")


S = ComplaintStatus

SHOPPER = "shopper"
FACILITY = "facility"  # staff of the complaint's facility
KANWIL = "kanwil"  # a reviewer of the facility's region, or head office
SYSTEM = "system"  # the deadline service

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.OPEN, S.ANSWERED): frozenset({FACILITY}),
    # Unanswered past the deadline.
    (S.OPEN, S.ESCALATED): frozenset({SYSTEM}),
    # SYSTEM: the shopper neither accepted nor disputed in time (deemed accepted).
    (S.ANSWERED, S.RESOLVED): frozenset({SHOPPER, SYSTEM}),
    # Disputed by the shopper.
    (S.ANSWERED, S.ESCALATED): frozenset({SHOPPER}),
    (S.ESCALATED, S.DECIDED): frozenset({KANWIL}),
}

CLOSED = frozenset({S.RESOLVED, S.DECIDED})


def can_transition(from_status: str, to_status: str, role: str) -> bool:
    return role in TRANSITIONS.get((from_status, to_status), frozenset())
