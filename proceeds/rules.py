"""The proceeds ledger's rules, each in one place: which share is which kind
of payment, the shape of a SIMPONI billing code and an NTPN, what a proof may
be, and how small a public cell may get before it is hidden."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

PREMI, PNBP, MATERIALS, OTHER = "premi", "pnbp", "bahan", "lainnya"
KIND_CHOICES = [
    (PREMI, _("Premi warga binaan")),
    (PNBP, _("Setoran PNBP")),
    (MATERIALS, _("Bahan baku")),
    (OTHER, _("Lainnya")),
]
KIND_LABELS = dict(KIND_CHOICES)
KINDS = [kind for kind, _label in KIND_CHOICES]

# facilities.ProceedsShare names are free text ("Premi warga binaan", "PNBP",
# "Bahan baku"); the ledger pairs a share with the payments that settle it by
# these words. A share that names none of them is "lainnya".
_SHARE_WORDS = ((PREMI, ("premi", "upah")), (PNBP, ("pnbp",)), (MATERIALS, ("bahan",)))


def share_kind(name: str) -> str:
    lowered = name.lower()
    for kind, words in _SHARE_WORDS:
        if any(word in lowered for word in words):
            return kind
    return OTHER


# A SIMPONI (DJA) billing code: 15 digits, beginning 7, 8 or 9 (MPN G2 gives
# 0-3 to tax, 4-6 to customs, 7-9 to non-tax state revenue).
BILLING_CODE_RE = re.compile(r"[7-9]\d{14}")
# The NTPN the treasury's bank prints on a deposit: 16 letters and digits.
NTPN_RE = re.compile(r"[0-9A-Z]{16}")


def clean_billing_code(value: str) -> str:
    return re.sub(r"[\s.-]", "", value or "")


def billing_code_problem(value: str) -> str:
    if not BILLING_CODE_RE.fullmatch(clean_billing_code(value)):
        return str(_("Kode billing SIMPONI terdiri dari 15 angka dan diawali 7, 8 atau 9."))
    return ""


def clean_ntpn(value: str) -> str:
    return re.sub(r"[\s.-]", "", value or "").upper()


def ntpn_problem(value: str) -> str:
    if not NTPN_RE.fullmatch(clean_ntpn(value)):
        return str(_("NTPN terdiri dari 16 huruf atau angka."))
    return ""


# A proof is a scan or photo of the receipt, the payroll list's total, the
# SIMPONI deposit slip: PDF, JPEG or PNG, told by its first bytes.
PROOF_MAX_BYTES = 5 * 1024 * 1024
PROOF_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def proof_extension(head: bytes) -> str:
    for signature, extension in PROOF_SIGNATURES.items():
        if head.startswith(signature):
            return extension
    return ""


# The public impact page hides a cell built from fewer people or orders than
# this, so no person's wage or purchase can be worked out from it.
SMALL_CELL = 5
