from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from notifications import services
from notifications.models import OutboundMessage


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = (
        "order",
        "event_kind",
        "channel",
        "recipient",
        "status",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "event_kind", "channel")
    search_fields = ("order__code", "recipient", "provider_message_id")
    readonly_fields = [f.name for f in OutboundMessage._meta.fields]
    actions = ["resend"]

    def get_queryset(self, request):
        from facilities.scoping import scope_for

        qs = super().get_queryset(request).select_related("order")
        return scope_for(request.user).filter_facility_rows(qs, "order__facility")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Kirim ulang pesan yang gagal"))
    def resend(self, request, queryset):
        n = sum(services.message_resend(message_id=m.pk) for m in queryset)
        self.message_user(request, _("%(n)s pesan diantre ulang.") % {"n": n}, messages.SUCCESS)
