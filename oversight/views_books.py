"""The books page for head office (and a Kanwil for its region's facilities):
days, each balanced or with its differences and what to do about them.

Thin: who may look is asked of the scope, the filter is validated against
it, and oversight.books does the adding up.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.scoping import Scope, scope_for
from oversight.books import MAX_DAYS, books_check_period

DEFAULT_DAYS = 14
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


class BooksFilterForm(forms.Form):
    facility = forms.ModelChoiceField(
        label=gettext_lazy("UPT"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Semua UPT"),
    )
    first = forms.DateField(
        label=gettext_lazy("Dari tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    last = forms.DateField(
        label=gettext_lazy("Sampai tanggal"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *, scope: Scope):
        super().__init__(data)
        self.fields["facility"].queryset = scope.facilities().order_by("name")

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ("first", "last")):
            return cleaned
        for name in ("first", "last"):
            # Bounded before any arithmetic: date.min - 13 days overflows.
            if cleaned.get(name) and not EARLIEST <= cleaned[name] <= LATEST:
                raise forms.ValidationError(_("Pilih tanggal antara tahun 2000 dan 2099."))
        last = cleaned.get("last") or timezone.localdate()
        first = cleaned.get("first") or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise forms.ValidationError(_("Tanggal akhir harus sama atau sesudah tanggal awal."))
        if (last - first).days >= MAX_DAYS:
            raise forms.ValidationError(
                _("Rentang paling lama %(days)s hari.") % {"days": MAX_DAYS}
            )
        cleaned["first"], cleaned["last"] = first, last
        return cleaned


def books_report(request):
    """Daily books: per day and facility, received = settled + refunded + held,
    and each difference with what to do. Head office sees every facility and
    the gateway-wide lines; a Kanwil reviewer its region's facilities;
    facility staff are refused (403), and a facility outside the scope is
    not found (404)."""
    scope = scope_for(request.user)
    if not (scope.is_national or scope.is_reviewer):
        raise PermissionDenied
    form = BooksFilterForm(request.GET, scope=scope)
    context = {"title": _("Pemeriksaan pembukuan harian"), "form": form, "scope": scope}
    if not form.is_valid() and "facility" in form.errors:
        # An id from outside the scope: as if it did not exist.
        raise Http404
    if form.is_valid():
        days = books_check_period(
            first=form.cleaned_data["first"],
            last=form.cleaned_data["last"],
            facility=form.cleaned_data["facility"],
            scope=scope,
        )
        context.update(
            days=days,
            unbalanced=sum(1 for day in days if not day.balanced),
            differences=sum(len(day.differences) for day in days),
        )
    return render(
        request, "admin/oversight/books.html", {**admin.site.each_context(request), **context}
    )
