from django import forms
from django.utils.translation import gettext_lazy as _


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai"), coerce=int, choices=[(i, f"{i}★") for i in range(5, 0, -1)]
    )
    text = forms.CharField(
        label=_("Ulasan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PublishChecklistForm(forms.Form):
    no_inmate = forms.BooleanField(label=_("Tidak menyebut atau menampilkan warga binaan"))
    no_personal_data = forms.BooleanField(label=_("Tidak memuat data pribadi"))
    civil = forms.BooleanField(label=_("Tidak memuat kata kasar, SARA, atau tautan"))
