"""The report filter: region, facility and a range of months, limited to the user's scope.

The region and facility choices are the scope's own querysets, so an id from
another region (typed into the address bar) is an invalid choice, never a
way in.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from facilities.scoping import Scope
from oversight.periods import FIRST_MONTH, add_months, last_month_allowed, this_month

MAX_MONTHS = 36
# ASCII digits only (str.isdigit and int() also take other scripts' digits).
MONTH = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})")


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (what <input type="month"> sends)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})
    default_error_messages = {
        "invalid": _("Tulis bulan sebagai TTTT-BB, misalnya 2026-01."),
        "out_of_range": _("Pilih bulan antara %(first)s dan %(last)s."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.fullmatch(value.strip())
        if match is None:
            # Four digits at most: a longer year is not a month anyone meant,
            # and date() would answer it with OverflowError, not ValueError.
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            month_start = date(int(match["year"]), int(match["month"]), 1)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error
        last = last_month_allowed()
        if not FIRST_MONTH <= month_start <= last:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": f"{FIRST_MONTH:%Y-%m}", "last": f"{last:%Y-%m}"},
            )
        return month_start


class ReportFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Kanwil"),
        queryset=None,
        required=False,
        empty_label=_("Semua Kanwil"),
        error_messages={"invalid_choice": _("Kanwil itu tidak ada dalam wilayah Anda.")},
    )
    facility = forms.ModelChoiceField(
        label=_("UPT"),
        queryset=None,
        required=False,
        empty_label=_("Semua UPT"),
        error_messages={"invalid_choice": _("UPT itu tidak ada dalam wilayah Anda.")},
    )
    start = MonthField(label=_("Dari bulan"), required=False)
    end = MonthField(label=_("Sampai bulan"), required=False)

    def __init__(self, data=None, *, scope: Scope, with_period: bool = True):
        super().__init__(data)
        self.scope = scope
        self.fields["region"].queryset = scope.regions().order_by("name")
        self.fields["facility"].queryset = (
            scope.facilities().select_related("region").order_by("name")
        )
        if not with_period:
            del self.fields["start"], self.fields["end"]
        # Kept for every role, even with a single choice, so that an id from
        # outside the scope is refused out loud rather than quietly ignored.

    def clean(self):
        cleaned = super().clean()
        region, facility = cleaned.get("region"), cleaned.get("facility")
        if region and facility and facility.region_id != region.pk:
            self.add_error("facility", _("UPT itu tidak berada di Kanwil yang dipilih."))
        if "start" in self.fields:
            last = cleaned.get("end") or this_month()
            first = cleaned.get("start") or add_months(last, -11)
            if first > last:
                self.add_error("end", _("Bulan akhir harus sama atau sesudah bulan awal."))
            elif (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
                self.add_error(
                    "start",
                    _("Rentang paling lama %(months)s bulan.") % {"months": MAX_MONTHS},
                )
            cleaned["first"], cleaned["last"] = first, last
        return cleaned

    def facilities(self) -> QuerySet[Facility]:
        """The facilities the report covers: the scope, narrowed by the choices."""
        facilities = self.scope.facilities()
        if self.cleaned_data.get("region"):
            facilities = facilities.filter(region=self.cleaned_data["region"])
        if self.cleaned_data.get("facility"):
            facilities = facilities.filter(pk=self.cleaned_data["facility"].pk)
        return facilities
