"""A staff account's own choice of how to hear of its work (staff_alerts)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import StaffAlertPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = StaffAlertPreference
        fields = ["urgent", "digest", "by_email", "by_whatsapp", "whatsapp_phone"]
        help_texts = {
            "urgent": gettext_lazy("Tugas yang terlambat atau jatuh tempo dalam 24 jam."),
            "digest": gettext_lazy("Setiap pagi pukul 07.00: semua tugas yang menunggu."),
            "by_email": gettext_lazy("Ke alamat email akun ini."),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("by_whatsapp") and not cleaned.get("whatsapp_phone"):
            self.add_error("whatsapp_phone", _("Isi nomor WhatsApp, atau matikan WhatsApp."))
        return cleaned


def preferences_view(request):
    preference, _created = StaffAlertPreference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Pilihan pemberitahuan tersimpan."))
        return HttpResponseRedirect(reverse("kb_inbox"))
    context = {
        **admin.site.each_context(request),
        "title": _("Pemberitahuan tugas"),
        "form": form,
        "has_email": bool(request.user.email),
    }
    return TemplateResponse(request, "admin/notifications/preferences.html", context)
