"""Complaints in the admin, scoped like everything else: facility staff see and
answer their facility's complaints; a Kanwil reviewer sees its region's and
decides the escalated ones; head office all. The step for the complaint's
state is offered in place on its page and goes through complaints.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from complaints import services
from complaints.models import AnswerKind, Complaint, ComplaintEvent, ComplaintStatus, Remedy
from core.fields import MoneyFormField
from core.private_media import private_file_response
from facilities.admin_scoping import FacilityScopedModelAdmin

STEP_CHOICES = [("", _("— tidak ada langkah —"))]


class ComplaintStepForm(forms.ModelForm):
    step = forms.ChoiceField(label=_("Langkah"), required=False, choices=STEP_CHOICES)
    answer_kind_new = forms.ChoiceField(
        label=_("Jawaban UPT"), required=False, choices=[("", "—"), *AnswerKind.choices]
    )
    remedy = forms.ChoiceField(
        label=_("Penyelesaian"), required=False, choices=[("", "—"), *Remedy.choices]
    )
    amount = MoneyFormField(label=_("Jumlah (Rp)"), required=False, min_value=1)
    note = forms.CharField(
        label=_("Catatan / alasan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    transfer_reference = forms.CharField(
        label=_("Referensi transfer refund"), required=False, max_length=100
    )

    class Meta:
        model = Complaint
        fields = []


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor_label", "actor", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(FacilityScopedModelAdmin):
    form = ComplaintStepForm
    inlines = [ComplaintEventInline]
    list_display = ("__str__", "facility", "status", "reason", "remedy_wanted", "answer_due_at")
    list_filter = ("status", "reason")
    search_fields = ("order__code",)
    list_select_related = ("facility", "order")
    readonly_fields = (
        "order",
        "facility",
        "status",
        "reason",
        "description",
        "lines_list",
        "photo_links",
        "remedy_wanted",
        "amount_wanted",
        "answer_due_at",
        "answer_kind",
        "answer_remedy",
        "answer_amount",
        "answer_note",
        "escalated_at",
        "decision_remedy",
        "decision_amount",
        "decision_note",
        "decided_by",
        "decided_at",
        "refund_due",
        "created_at",
    )

    STEP_FIELDS = ("step", "answer_kind_new", "remedy", "amount", "note", "transfer_reference")

    def get_fieldsets(self, request, obj=None):
        # The complaint first; the step form only when this user has a step to take.
        fieldsets = [(None, {"fields": self.readonly_fields})]
        if self._steps(request, obj):
            fieldsets.insert(0, (_("Langkah berikutnya"), {"fields": self.STEP_FIELDS}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = []  # every field is the step form's own or read-only
        form = super().get_form(request, obj, change, **kwargs)
        if "step" in form.base_fields:
            form.base_fields["step"].choices = [
                ("", _("— tidak ada langkah —")),
                *self._steps(request, obj),
            ]
        return form

    def _steps(self, request, obj):
        if obj is None:
            return []
        steps = []
        if obj.status == ComplaintStatus.OPEN and services.may_answer(request.user, obj):
            steps.append(("answer", _("Jawab keluhan (isi jawaban, penyelesaian, catatan)")))
        if obj.status == ComplaintStatus.ESCALATED and services.may_decide(request.user, obj):
            steps.append(("decide", _("Putuskan (isi penyelesaian, jumlah, catatan)")))
        if obj.refund_due and services.may_record_transfer(request.user, obj):
            steps.append(("transfer", _("Catat refund sudah ditransfer")))
        return steps

    @admin.display(description=_("barang"))
    def lines_list(self, obj):
        return ", ".join(str(cl.order_line) for cl in obj.lines.select_related("order_line"))

    @admin.display(description=_("foto"))
    def photo_links(self, obj):
        return (
            format_html_join(
                " ",
                '<a href="{}" target="_blank" rel="noopener">{}</a>',
                (
                    (reverse("admin:complaints_complaint_photo", args=[obj.pk, p.pk]), f"#{i}")
                    for i, p in enumerate(obj.photos.all(), 1)
                ),
            )
            or "—"
        )

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:object_id>/foto/<int:photo_id>/",
                self.admin_site.admin_view(self.photo_view),
                name="complaints_complaint_photo",
            ),
            *super().get_urls(),
        ]

    def photo_view(self, request, object_id, photo_id):
        from django.http import Http404

        complaint = self.get_queryset(request).filter(pk=object_id).first()
        photo = complaint and complaint.photos.filter(pk=photo_id).first()
        if photo is None:
            raise Http404
        return private_file_response(
            photo.file, content_type="image/jpeg", download_name=f"keluhan-{object_id}.jpg"
        )

    def has_add_permission(self, request):
        return False  # complaints come from shoppers only

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        step = data.get("step")
        # An answer and a decision both name a remedy, an amount and a note.
        remedy = {
            "remedy": data.get("remedy") or "",
            "amount": data.get("amount"),
            "note": data.get("note") or "",
        }
        try:
            if step == "answer":
                services.complaint_answer(
                    complaint=obj,
                    actor=request.user,
                    kind=data.get("answer_kind_new") or "",
                    **remedy,
                )
            elif step == "decide":
                services.complaint_decide(complaint=obj, actor=request.user, **remedy)
            elif step == "transfer":
                services.complaint_refund_transfer_record(
                    complaint=obj,
                    actor=request.user,
                    reference=data.get("transfer_reference") or "",
                )
        except (ValidationError, services.ComplaintError) as refused:
            text = (
                " ".join(refused.messages) if isinstance(refused, ValidationError) else str(refused)
            )
            messages.error(request, text)

    def get_list_filter(self, request):
        return self.list_filter
