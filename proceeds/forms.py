"""The admin's forms for the ledger: each turns the service's refusal into an
error at its field (the admin lists them at the top too)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import MAX_ORDER_TOTAL
from proceeds import rules
from proceeds.models import LedgerEntry, ProgrammeMonth, WorkProgramme
from proceeds.months import parse_month


class MonthField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Bulan"))
        kwargs.setdefault("help_text", _("Tahun-bulan, misalnya 2026-03."))
        super().__init__(max_length=7, **kwargs)
        self.widget.attrs.update({"placeholder": "2026-03", "inputmode": "numeric"})

    def clean(self, value):
        month = parse_month(super().clean(value))
        if month is None:
            raise forms.ValidationError(_("Tulis bulan sebagai tahun-bulan, misalnya 2026-03."))
        return month


class LedgerEntryForm(forms.ModelForm):
    month = MonthField()
    # Typed as printed (spaces, dots, lower case); the service stores the bare code.
    billing_code = forms.CharField(label=_("Kode billing SIMPONI"), max_length=24, required=False)
    ntpn = forms.CharField(label=_("NTPN"), max_length=24, required=False)

    class Meta:
        model = LedgerEntry
        fields = [
            "facility",
            "month",
            "kind",
            "programme",
            "amount",
            "paid_on",
            "reference",
            "billing_code",
            "ntpn",
            "proof",
            "note",
        ]

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if "facility" in self.fields and scope is not None:
            from proceeds.selectors import ledger_facilities, programmes_in_scope

            self.fields["facility"].queryset = ledger_facilities(scope)
            self.fields["programme"].queryset = programmes_in_scope(scope).filter(is_active=True)
        if "amount" in self.fields:
            self.fields["amount"].max_value = MAX_ORDER_TOTAL
        if "billing_code" in self.fields:
            self.fields["billing_code"].help_text = _("Hanya untuk setoran PNBP: 15 angka.")
            self.fields["ntpn"].help_text = _("Hanya untuk setoran PNBP: 16 huruf/angka.")
            self.fields["programme"].help_text = _(
                "Wajib untuk premi: satu jumlah per program, tanpa nama orang."
            )

    def clean(self):
        data = super().clean()
        if data.get("kind") == rules.PNBP:
            for field, problem in (
                ("billing_code", rules.billing_code_problem(data.get("billing_code", ""))),
                ("ntpn", rules.ntpn_problem(data.get("ntpn", ""))),
            ):
                if problem:
                    self.add_error(field, problem)
        if data.get("kind") == rules.PREMI and not data.get("programme"):
            self.add_error("programme", _("Premi dicatat per program kerja: pilih programnya."))
        proof = data.get("proof")
        if proof is not None:
            head = proof.read(16)
            proof.seek(0)
            if proof.size > rules.PROOF_MAX_BYTES or not rules.proof_extension(head):
                self.add_error(
                    "proof", _("Bukti harus berkas PDF, JPG atau PNG, paling besar 5 MB.")
                )
        if data.get("facility") and data.get("month") and data.get("kind"):
            from proceeds.selectors import entry_conflicts

            for field, message in entry_conflicts(
                facility_id=data["facility"].pk,
                month=data["month"],
                kind=data["kind"],
                reference=data.get("reference", ""),
                billing_code=rules.clean_billing_code(data.get("billing_code", ""))
                if data["kind"] == rules.PNBP
                else "",
                ntpn=rules.clean_ntpn(data.get("ntpn", "")) if data["kind"] == rules.PNBP else "",
            ):
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return data

    def _post_clean(self):
        # The service writes the row (and checks the model's rules again);
        # the form only checks what the person typed.
        pass


class WorkProgrammeForm(forms.ModelForm):
    class Meta:
        model = WorkProgramme
        fields = ["facility", "name", "is_active"]


class ProgrammeMonthForm(forms.ModelForm):
    month = MonthField()

    class Meta:
        model = ProgrammeMonth
        fields = ["programme", "month", "participants"]

    def clean(self):
        data = super().clean()
        programme, month = data.get("programme"), data.get("month")
        if programme and month:
            from proceeds.selectors import month_is_closed

            if month_is_closed(programme.facility_id, month):
                self.add_error("month", _("Bulan ini sudah ditutup; tidak dapat diubah."))
        return data

    def _post_clean(self):
        pass


class CloseForm(forms.Form):
    explanation = forms.CharField(
        label=_("Penjelasan selisih"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib bila terutang dan dibayar tidak sama."),
    )
