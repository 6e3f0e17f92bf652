from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import ComplaintReason, Remedy
from core.fields import MoneyFormField

SHOPPER_REMEDIES = [(r.value, r.label) for r in Remedy if r != Remedy.NONE]


class ComplaintForm(forms.Form):
    lines = forms.TypedMultipleChoiceField(
        label=_("Barang yang dikeluhkan"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.ChoiceField(label=_("Alasan"), choices=ComplaintReason.choices)
    description = forms.CharField(
        label=_("Keterangan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedy = forms.ChoiceField(label=_("Penyelesaian yang diminta"), choices=SHOPPER_REMEDIES)
    amount = MoneyFormField(label=_("Jumlah refund sebagian (Rp)"), min_value=1, required=False)

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(line.pk, str(line)) for line in lines]

    def clean(self):
        data = super().clean()
        wants_partial = data.get("remedy") == Remedy.PARTIAL_REFUND
        if wants_partial and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Isi jumlah refund sebagian."))
        return data
