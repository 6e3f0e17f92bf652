"""Quote requests in the admin, scoped like everything else: facility staff
see and answer their facility's requests; a Kanwil reviewer reads its
region's; head office all. Answering is a step form on the request's page
(unit prices prefilled from today's tiers) that calls quotes.services."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.admin_inlines import ReadOnlyAdminMixin
from core.fields import MoneyFormField
from core.money import format_rupiah
from core.npwp import format_npwp
from facilities.admin_scoping import FacilityScopedModelAdmin
from facilities.scoping import scope_for
from orders.models import DeliveryMethod
from quotes import services
from quotes import stock as quote_stock
from quotes.models import Quote, QuoteLine, QuoteRequest, RequestStatus

PAY_BEFORE = "before"
PAY_AFTER = "after"


class QuoteStepForm(forms.ModelForm):
    """The staff's answer; `price_<line id>` fields are added per request line."""

    step = forms.ChoiceField(
        label=_("Langkah"),
        required=False,
        choices=[
            ("", _("— tidak ada langkah —")),
            ("send", _("Kirim penawaran ke pembeli")),
            ("decline", _("Tolak permintaan (isi catatan)")),
        ],
    )
    delivery_method = forms.ChoiceField(
        label=_("Pengiriman"), choices=DeliveryMethod.choices, required=False
    )
    delivery_fee = MoneyFormField(
        label=_("Ongkos kirim (Rp)"),
        limit=Quote._meta.get_field("delivery_fee").limit,
        required=False,
    )
    delivery_date = forms.DateField(
        label=_("Tanggal kirim"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    ready_date = forms.DateField(
        label=_("Siap dikirim tanggal"),
        required=False,
        help_text=_("Wajib bila jumlah melebihi stok: hari barang selesai dibuat."),
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    valid_until = forms.DateField(
        label=_("Berlaku sampai"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    terms = forms.ChoiceField(
        label=_("Pembayaran"),
        required=False,
        choices=[
            (PAY_BEFORE, _("Bayar sebelum dikirim")),
            (PAY_AFTER, _("Bayar setelah barang diterima (tempo)")),
        ],
        widget=forms.RadioSelect,
    )
    payment_terms_days = forms.IntegerField(
        label=_("Tempo (hari setelah diterima)"), min_value=1, required=False
    )
    note = forms.CharField(
        label=_("Catatan untuk pembeli"), required=False, widget=forms.Textarea({"rows": 3})
    )

    class Meta:
        model = QuoteRequest
        fields = []

    def price_names(self):
        return [name for name in self.fields if name.startswith("price_")]

    def clean(self):
        data = super().clean()
        if data.get("step") != "send":
            if data.get("step") == "decline" and not (data.get("note") or "").strip():
                self.add_error("note", _("Tuliskan alasan penolakan."))
            return data
        for name in ("delivery_fee", "delivery_date", "valid_until", *self.price_names()):
            if data.get(name) in (None, ""):
                self.add_error(name, _("Wajib diisi untuk mengirim penawaran."))
        days = data.get("payment_terms_days") if data.get("terms") == PAY_AFTER else None
        if data.get("terms") == PAY_AFTER and not days:
            self.add_error("payment_terms_days", _("Isi tempo pembayaran dalam hari."))
        data["agreed_terms_days"] = days
        problems = services.quote_terms_problems(
            delivery_method=data.get("delivery_method") or "",
            delivery_date=data.get("delivery_date"),
            valid_until=data.get("valid_until"),
            payment_terms_days=days,
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        if problem := quote_stock.ready_date_problem(
            data.get("ready_date"),
            needed=bool(getattr(self, "over_stock", ())),
            latest=data.get("delivery_date"),
        ):
            self.add_error("ready_date", problem)
        return data


@admin.register(QuoteRequest)
class QuoteRequestAdmin(FacilityScopedModelAdmin):
    form = QuoteStepForm
    list_display = ("code", "buyer_organisation", "facility", "status", "needed_by", "created_at")
    list_filter = ("status", "facility")
    search_fields = ("code", "buyer_organisation")
    list_select_related = ("facility",)
    readonly_fields = (
        "code",
        "facility",
        "status",
        "buyer_organisation",
        "npwp_display",
        "contact_name",
        "contact_phone",
        "contact_email",
        "address_line",
        "needed_by",
        "ready_by",
        "notes",
        "requested_lines",
        "quote_history",
        "order_link",
        "created_at",
    )
    STEP_FIELDS = (
        "step",
        "delivery_method",
        "delivery_fee",
        "delivery_date",
        "ready_date",
        "valid_until",
        "terms",
        "payment_terms_days",
        "note",
    )

    @admin.display(description=_("barang diminta"))
    def requested_lines(self, obj):
        return format_html_join(
            "",
            "<div>{} {} {}</div>",
            (
                (line.quantity, line.product.get_unit_display(), line.product.name)
                for line in obj.lines.select_related("product")
            ),
        )

    @admin.display(description=_("penawaran terkirim"))
    def quote_history(self, obj):
        rows = []
        for quote in obj.quotes.prefetch_related("lines").order_by("-version"):
            lines = "; ".join(
                f"{ln.quantity} {ln.unit} {ln.product_name} @ {format_rupiah(ln.unit_price)}"
                for ln in quote.lines.all()
            )
            terms = (
                _("tempo %(n)s hari") % {"n": quote.payment_terms_days}
                if quote.payment_terms_days
                else _("bayar sebelum kirim")
            )
            rows.append(
                (
                    quote.version,
                    quote.get_status_display(),
                    lines,
                    format_rupiah(quote.total),
                    terms,
                    quote.valid_until.strftime("%d-%m-%Y"),
                    quote.buyer_note,
                )
            )
        return (
            format_html_join(
                "",
                "<div>v{} · {} · {} · {} {} · {} s.d. {} {}</div>",
                (
                    (v, status, lines, _("total"), total, terms, valid, f"· {note}" if note else "")
                    for v, status, lines, total, terms, valid, note in rows
                ),
            )
            or "—"
        )

    @admin.display(description=_("pesanan"))
    def order_link(self, obj):
        if obj.order_id is None:
            return "—"
        url = reverse("admin:orders_order_change", args=[obj.order_id])
        return format_html('<a href="{}">{}</a>', url, obj.order.code)

    @admin.display(description=_("NPWP"))
    def npwp_display(self, obj):
        return format_npwp(obj.buyer_npwp)

    @admin.display(description=_("alamat pengiriman"))
    def address_line(self, obj):
        return obj.address_line

    def _may_answer(self, request, obj) -> bool:
        return (
            obj is not None
            and obj.status not in (RequestStatus.ACCEPTED, RequestStatus.DECLINED)
            and services.may_answer(request.user, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": self.readonly_fields})]
        if self._may_answer(request, obj):
            prices = tuple(f"price_{line.pk}" for line in obj.lines.all())
            fieldsets.insert(
                0,
                (
                    _("Kirim penawaran"),
                    {"fields": (self.STEP_FIELDS[0], *prices, *self.STEP_FIELDS[1:])},
                ),
            )
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = []
        form = super().get_form(request, obj, change, **kwargs)
        if not self._may_answer(request, obj):
            return form
        suggested = services.suggested_prices(obj)
        today = timezone.localdate()
        fields = {}
        for line in obj.lines.select_related("product"):
            fields[f"price_{line.pk}"] = MoneyFormField(
                label=_("Harga satuan %(name)s (%(q)s %(unit)s)")
                % {
                    "name": line.product.name,
                    "q": line.quantity,
                    "unit": line.product.get_unit_display(),
                },
                min_value=1,
                limit=QuoteLine._meta.get_field("unit_price").limit,
                required=False,
                initial=suggested[line.pk],
                help_text=_("Dari harga grosir hari ini: %(p)s")
                % {"p": format_rupiah(suggested[line.pk])}
                + (
                    " ⚠ " + quote_stock.over_stock_message(line.product, line.quantity)
                    if quote_stock.is_over_stock(line.product, line.quantity)
                    else ""
                ),
            )
        fields["over_stock"] = [
            line.product
            for line in obj.lines.select_related("product")
            if quote_stock.is_over_stock(line.product, line.quantity)
        ]
        step_form = type("QuoteStepFormFor", (form,), fields)
        step_form.base_fields["delivery_date"].initial = obj.needed_by
        step_form.base_fields["valid_until"].initial = today + timedelta(
            days=settings.QUOTE_VALID_DAYS
        )
        step_form.base_fields["terms"].initial = PAY_BEFORE
        step_form.base_fields["delivery_fee"].initial = 0
        step_form.base_fields["delivery_method"].initial = DeliveryMethod.LOCAL
        return step_form

    def has_add_permission(self, request):
        return False  # requests come from buyers only

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The Kanwil reads its region's requests; only the facility answers.
        if scope_for(request.user).is_reviewer:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        step = data.get("step")
        request._quote_refused = False
        try:
            if step == "send":
                services.quote_send(
                    request=obj,
                    actor=request.user,
                    unit_prices={
                        int(name.removeprefix("price_")): data[name] for name in form.price_names()
                    },
                    delivery_method=data["delivery_method"],
                    delivery_fee=data["delivery_fee"],
                    delivery_date=data["delivery_date"],
                    valid_until=data["valid_until"],
                    payment_terms_days=data["agreed_terms_days"],
                    note=data.get("note") or "",
                    ready_date=data.get("ready_date"),
                )
                messages.success(request, _("Penawaran dikirim ke pembeli."))
            elif step == "decline":
                services.request_decline(request=obj, actor=request.user, note=data["note"])
        except services.QuoteError as refused:
            request._quote_refused = True
            messages.error(request, str(refused))

    def response_change(self, request, obj):
        if getattr(request, "_quote_refused", False) or not request.POST.get("step"):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def get_list_filter(self, request):
        if scope_for(request.user).is_facility_staff:
            return ("status",)
        return self.list_filter


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdminMixin, FacilityScopedModelAdmin):
    """Every quote sent, for the list and the search (read-only)."""

    facility_path = "request__facility"
    list_display = ("__str__", "request", "status", "total", "valid_until", "payment_terms_days")
    list_filter = ("status",)
    search_fields = ("request__code", "request__buyer_organisation")
    list_select_related = ("request",)
