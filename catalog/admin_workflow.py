"""The product page as an officer's workplace: where the listing stands, what
happens next, and the next step as a button that saves and submits at once.

And for the reviewer: what changed since the last decision, side by side.
Every status move is a catalog.services call; nothing here sets a status.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import services
from catalog.models import ListingReview, ListingStatus, Product
from facilities.admin_zone import FacilityZoneAdminMixin

SUBMIT = "_submit_review"

NEXT_TEXT = {
    None: gettext_lazy(
        "Isi data dan minimal satu foto, lalu tekan “Simpan dan ajukan untuk ditinjau”. "
        "Kanwil meninjau sebelum produk tampil di etalase."
    ),
    ListingStatus.DRAFT: gettext_lazy(
        "Draf: belum terlihat publik dan belum diajukan. Bila sudah lengkap, ajukan untuk "
        "ditinjau Kanwil."
    ),
    ListingStatus.PENDING_REVIEW: gettext_lazy(
        "Menunggu tinjauan Kanwil. Anda akan diberi tahu hasilnya; tidak ada yang perlu "
        "dilakukan sekarang."
    ),
    ListingStatus.APPROVED: gettext_lazy(
        "Tayang di etalase. Harga dan stok boleh diubah kapan saja; mengubah nama, deskripsi, "
        "kategori, atau foto mengirimnya kembali ke tinjauan."
    ),
    ListingStatus.CHANGES_REQUESTED: gettext_lazy(
        "Kanwil meminta perbaikan (lihat catatan di bawah). Perbaiki, lalu tekan “Simpan dan "
        "ajukan lagi”."
    ),
    ListingStatus.REJECTED: gettext_lazy("Ditolak Kanwil; listing ini tidak bisa diajukan lagi."),
    ListingStatus.ARCHIVED: gettext_lazy("Diarsipkan: tidak tampil di etalase."),
}


def submit_label(status: str | None) -> str:
    """The save-and-submit button's label for a listing in `status`, or "" when
    the listing cannot be submitted from there (the state table's sources)."""
    if status is None or status == ListingStatus.DRAFT:
        return _("Simpan dan ajukan untuk ditinjau")
    if status == ListingStatus.CHANGES_REQUESTED:
        return _("Simpan dan ajukan lagi")
    return ""


def last_decision(product: Product) -> ListingReview | None:
    """The reviewer's latest word on this listing (approve, send back, reject)."""
    return (
        product.reviews.filter(
            action__in=[
                ListingReview.Action.APPROVE,
                ListingReview.Action.REQUEST_CHANGES,
                ListingReview.Action.REJECT,
            ]
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def changes_since_last_decision(product: Product) -> dict:
    """Rows of (label, before, now, changed) comparing the listing with the
    snapshot stored at the last decision; `previous` is None when there was
    no decision yet (or it predates snapshots)."""
    decision = last_decision(product)
    previous = decision.snapshot if decision is not None and decision.snapshot else None
    current = services.listing_snapshot(product)
    rows = []
    for key, label in services.SNAPSHOT_FIELDS.items():
        now = current.get(key, "")
        before = previous.get(key, "") if previous is not None else ""
        if isinstance(now, list):
            now = "\n".join(now)
        if isinstance(before, list):
            before = "\n".join(before)
        rows.append(
            {
                "label": label,
                "before": before,
                "now": now,
                "changed": previous is not None and str(before) != str(now),
            }
        )
    return {
        "decision": decision,
        "has_previous": previous is not None,
        "rows": rows,
        "changed_count": sum(1 for r in rows if r["changed"]),
    }


class ListingWorkflowMixin(FacilityZoneAdminMixin):
    """For ProductAdmin: the status panel and the save-and-submit button."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        status = obj.status if obj is not None and obj.pk else None
        may_change = self.has_change_permission(request, obj) if obj else True
        decision = last_decision(obj) if obj is not None and obj.pk else None
        sent_back = status in (ListingStatus.CHANGES_REQUESTED, ListingStatus.REJECTED)
        context["kb_listing"] = {
            "status": obj.get_status_display() if status else _("Baru"),
            "status_key": status or "new",
            "next_text": NEXT_TEXT.get(status, ""),
            "submit_label": submit_label(status) if may_change else "",
            "submit_name": SUBMIT,
            "note": decision.note if sent_back and decision is not None else "",
            "note_by": decision.actor if sent_back and decision is not None else None,
        }
        if obj is None or not obj.pk:
            return super().render_change_form(request, context, add, change, form_url, obj)
        # Dates on the page in the facility's own zone (WIB, WITA or WIT).
        with timezone.override(obj.facility.timezone):
            response = super().render_change_form(request, context, add, change, form_url, obj)
            response.render()
        return response

    def _submit_after_save(self, request, obj) -> HttpResponseRedirect:
        """The product (and its photos) are saved; now the one status move."""
        url = reverse("admin:catalog_product_change", args=[obj.pk])
        try:
            services.listing_submit(product=obj, actor=request.user)
        except services.ListingError as error:
            self.message_user(
                request,
                _("“%(name)s” tersimpan sebagai %(status)s, tetapi belum diajukan: %(why)s")
                % {"name": obj.name, "status": obj.get_status_display(), "why": error},
                messages.ERROR,
            )
        else:
            self.message_user(
                request,
                _("“%(name)s” tersimpan dan diajukan untuk ditinjau Kanwil.") % {"name": obj.name},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(url)

    def response_add(self, request, obj, post_url_continue=None):
        if SUBMIT in request.POST:
            return self._submit_after_save(request, obj)
        response = super().response_add(request, obj, post_url_continue)
        self._remind_to_submit(request, obj)
        return response

    def response_change(self, request, obj):
        if SUBMIT in request.POST:
            return self._submit_after_save(request, obj)
        response = super().response_change(request, obj)
        self._remind_to_submit(request, obj)
        return response

    def _remind_to_submit(self, request, obj) -> None:
        obj.refresh_from_db(fields=["status"])
        label = submit_label(obj.status)
        if label:
            self.message_user(
                request,
                _(
                    "“%(name)s” belum diajukan (status: %(status)s). "
                    "Tekan “%(button)s” bila sudah siap."
                )
                % {"name": obj.name, "status": obj.get_status_display(), "button": label},
                messages.WARNING,
            )
