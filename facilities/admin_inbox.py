"""The inbox page ("Tugas saya"): every piece of work waiting for the user,
with its deadline (facilities.inbox). Reached from the header on every admin
page and shown first on the admin index."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from facilities.templatetags.inbox import inbox_context


def inbox_view(request):
    try:
        facility_id = int(request.GET.get("upt", ""))
    except ValueError:
        facility_id = None
    context = {
        **admin.site.each_context(request),
        "title": _("Tugas saya"),
        **inbox_context(request, facility_id=facility_id),
    }
    return TemplateResponse(request, "admin/inbox.html", context)
