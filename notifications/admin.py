"""Staff see their facility's WhatsApp messages (read-only, with the last
error) and send failed ones again; head office keeps the opt-out list."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from facilities.admin_scoping import FacilityScopedModelAdmin
from notifications import services
from notifications.models import OutboundMessage, WhatsAppOptOut


@admin.register(OutboundMessage)
class OutboundMessageAdmin(FacilityScopedModelAdmin):
    facility_path = "order__facility"
    list_display = [
        "order",
        "event_kind",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "event_kind"]
    list_select_related = ["order"]
    search_fields = ["order__code", "recipient", "provider_id"]
    readonly_fields = [
        "order",
        "event_kind",
        "channel",
        "recipient",
        "template",
        "params",
        "status",
        "attempts",
        "last_error",
        "provider_id",
        "created_at",
        "updated_at",
        "sent_at",
    ]
    actions = ["resend"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.change_outboundmessage")

    @admin.action(description=_("Kirim ulang pesan yang gagal"), permissions=["resend"])
    def resend(self, request, queryset):
        count = sum(
            services.message_resend(message=m)
            for m in queryset.filter(status=OutboundMessage.Status.FAILED)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d pesan masuk antrean lagi.",
                "%(count)d pesan masuk antrean lagi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(WhatsAppOptOut)
class WhatsAppOptOutAdmin(admin.ModelAdmin):
    list_display = ["phone", "note", "created_at"]
    search_fields = ["phone"]
