"""The Bapas's workplace in the admin: its clients' businesses, a
registration form, and one page per business with its sales, visits and the
steps each role may take. Every row comes through bapas.selectors (the scope
rule), every change through bapas.services; anything out of scope is a 404.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from bapas import selectors, services
from bapas.forms import DecisionForm, EnterpriseRegisterForm, VisitForm
from bapas.models import Enterprise
from core.private_media import private_file_response


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "bapas", "status", "decision", "supervision_ends_on"]
    list_filter = ["status", "decision"]
    search_fields = ["facility__name"]

    # --- who sees the screen at all ------------------------------------------
    def get_queryset(self, request):
        return selectors.enterprises_for(request.user)

    def has_module_permission(self, request):
        return selectors.bapas_scope_for(request.user).sees_any and super().has_module_permission(
            request
        )

    def has_view_permission(self, request, obj=None):
        scope = selectors.bapas_scope_for(request.user)
        if not scope.sees_any or not super().has_view_permission(request, obj):
            return False
        return obj is None or scope.may_see(obj)

    def has_add_permission(self, request):
        return selectors.bapas_scope_for(request.user).is_mentor and super().has_add_permission(
            request
        )

    def has_change_permission(self, request, obj=None):
        return False  # every change is a step on the business's page (services)

    def has_delete_permission(self, request, obj=None):
        return False  # the client's erasure is a service, never a row delete

    def get_urls(self):
        return [
            path(
                "<int:pk>/persetujuan/",
                self.admin_site.admin_view(self.consent_view),
                name="bapas_enterprise_consent",
            ),
            *super().get_urls(),
        ]

    # --- registration ----------------------------------------------------------
    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise Http404
        form = EnterpriseRegisterForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                enterprise = services.enterprise_register(actor=request.user, **form.cleaned_data)
            except services.EnterpriseError as error:
                form.add_error(None, str(error))
            else:
                self.message_user(
                    request,
                    _("Usaha %(name)s terdaftar; akun klien: %(user)s.")
                    % {"name": enterprise.facility.name, "user": form.cleaned_data["username"]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:bapas_enterprise_change", args=[enterprise.pk])
                )
        return TemplateResponse(
            request,
            "admin/bapas/enterprise/register.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Daftarkan usaha binaan"),
                "form": form,
                "opts": self.model._meta,
            },
        )

    # --- one business ----------------------------------------------------------
    def _enterprise(self, request, pk) -> Enterprise:
        try:
            enterprise = selectors.enterprise_for(request.user, int(pk))
        except (TypeError, ValueError):
            enterprise = None
        if enterprise is None or not self.has_view_permission(request, enterprise):
            raise Http404
        return enterprise

    def consent_view(self, request, pk):
        enterprise = self._enterprise(request, pk)
        scope = selectors.bapas_scope_for(request.user)
        if not enterprise.consent_form or not (scope.mentors(enterprise) or scope.owns(enterprise)):
            raise Http404
        is_pdf = enterprise.consent_form.name.endswith(".pdf")
        return private_file_response(
            enterprise.consent_form,
            content_type="application/pdf" if is_pdf else "image/jpeg",
            download_name="persetujuan.pdf" if is_pdf else "persetujuan.jpg",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        enterprise = self._enterprise(request, object_id)
        scope = selectors.bapas_scope_for(request.user)
        visit_form = VisitForm(prefix="visit")
        decision_form = DecisionForm(prefix="decide")
        if request.method == "POST":
            step = request.POST.get("step", "")
            answer = self._post(request, enterprise, step)
            if isinstance(answer, HttpResponse):
                return answer
            if step == "visit":
                visit_form = answer
            elif step == "decide":
                decision_form = answer
            enterprise = self._enterprise(request, object_id)
        return TemplateResponse(
            request,
            "admin/bapas/enterprise/detail.html",
            {
                **self.admin_site.each_context(request),
                "title": str(enterprise),
                "enterprise": enterprise,
                "facility": enterprise.facility,
                "mark": selectors.storefront_mark(enterprise.facility),
                "sales": selectors.sales_by_month(enterprise),
                "visits": selectors.visits_of(enterprise),
                "events": enterprise.events.select_related("actor")[:20],
                "bank": enterprise.facility.bank_accounts.filter(is_active=True).first(),
                "is_mentor": scope.mentors(enterprise),
                "is_owner": scope.owns(enterprise),
                "may_record_visit": scope.mentors(enterprise)
                and request.user.has_perm("bapas.add_mentoringvisit")
                and not enterprise.is_erased,
                "visit_form": visit_form,
                "decision_form": decision_form,
                "holds": selectors.erasure_holds(enterprise)
                if scope.owns(enterprise) and enterprise.is_leaving and not enterprise.is_erased
                else [],
                "open_orders": selectors.open_orders(enterprise).count(),
                "opts": self.model._meta,
            },
        )

    def _post(self, request, enterprise, step):
        """One step from the page; returns a response (done), or the form to
        show again with its errors."""
        here = HttpResponseRedirect(request.path)
        try:
            if step == "visit":
                form = VisitForm(request.POST, prefix="visit")
                if not form.is_valid():
                    return form
                services.enterprise_visit_record(
                    actor=request.user, enterprise=enterprise, **form.cleaned_data
                )
                self.message_user(request, _("Kunjungan dicatat."), messages.SUCCESS)
                return here
            if step == "end":
                services.enterprise_supervision_end(actor=request.user, enterprise=enterprise)
                self.message_user(request, _("Masa pembinaan diakhiri."), messages.SUCCESS)
                return here
            if step == "decide":
                form = DecisionForm(request.POST, prefix="decide")
                if not form.is_valid():
                    return form
                services.enterprise_decide(
                    actor=request.user, enterprise=enterprise, **form.cleaned_data
                )
                self.message_user(request, _("Keputusan Anda dicatat."), messages.SUCCESS)
                return here
            if step == "export":
                data = services.enterprise_export(actor=request.user, enterprise=enterprise)
                response = HttpResponse(
                    json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                    content_type="application/json; charset=utf-8",
                )
                response["Content-Disposition"] = 'attachment; filename="data-usaha-saya.json"'
                response["Cache-Control"] = "private, no-store"
                return response
            if step == "erase":
                services.enterprise_erase(actor=request.user, enterprise=enterprise)
                self.message_user(request, _("Data Anda dihapus."), messages.SUCCESS)
                return here
        except services.EnterpriseError as error:
            self.message_user(request, str(error), messages.ERROR)
            return here
        raise Http404
