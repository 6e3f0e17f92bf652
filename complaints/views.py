"""The shopper's side, on the tracking page after code + phone: open a
complaint, accept the facility's answer or dispute it. Every refusal about the
order itself answers like a wrong code (orders.tracking)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import services
from complaints.forms import ComplaintForm
from complaints.models import Complaint
from core.rate_limits import rate_limit
from orders.tracking import rate_limited_response, refused_response, tracked_order


@require_POST
def complaint_create(request, code):
    if not rate_limit("complaint").consume(request):
        return rate_limited_response(request)
    order = tracked_order(request, code)
    lines = services.eligible_lines(order=order)
    if not lines:
        return refused_response(request)
    form = ComplaintForm(request.POST, lines=lines)
    photos = request.FILES.getlist("photos")
    if not form.is_valid():
        # Another order's line is not a choice here: the same answer as a wrong code.
        if "lines" in form.errors and request.POST.getlist("lines"):
            return refused_response(request)
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("orders:track_detail", code=code)
    data = form.cleaned_data
    try:
        services.complaint_open(
            order=order,
            line_ids=data["lines"],
            reason=data["reason"],
            description=data["description"],
            remedy=data["remedy"],
            amount=data.get("amount"),
            photos=photos,
        )
    except services.ComplaintRefused:
        return refused_response(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("orders:track_detail", code=code)
    messages.success(request, _("Keluhan terkirim. UPT akan menjawab sebelum batas waktu."))
    return redirect("orders:track_detail", code=code)


def _own_complaint(request, code, complaint_id):
    order = tracked_order(request, code)
    if order is None:
        return None
    return Complaint.objects.filter(pk=complaint_id, order=order).first()


@require_POST
def complaint_respond(request, code, complaint_id):
    if not rate_limit("complaint").consume(request):
        return rate_limited_response(request)
    complaint = _own_complaint(request, code, complaint_id)
    if complaint is None:
        return refused_response(request)
    try:
        if request.POST.get("action") == "accept":
            services.complaint_accept_answer(complaint=complaint)
            messages.success(request, _("Terima kasih. Keluhan selesai."))
        elif request.POST.get("action") == "dispute":
            services.complaint_dispute(complaint=complaint, note=request.POST.get("note", ""))
            messages.success(request, _("Keberatan Anda diteruskan ke Kanwil."))
        else:
            messages.error(request, _("Pilih setujui atau ajukan keberatan."))
    except services.ComplaintError as error:
        messages.error(request, str(error))
    return redirect("orders:track_detail", code=code)
