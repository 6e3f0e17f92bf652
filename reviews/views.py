from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.rate_limits import rate_limit
from orders.forms import TrackForm
from orders.tracking import refused_response, tracked_order
from reviews import services
from reviews.forms import ReviewForm


def _refused(request):
    return refused_response(request)


@require_POST
def review_create(request, code, line_id):
    if not rate_limit("review").consume(request):
        messages.error(request, _("Terlalu banyak percobaan. Coba lagi nanti."))
        return render(request, "orders/track.html", {"form": TrackForm()}, status=429)
    order = tracked_order(request, code)
    if order is None:
        return _refused(request)
    if services.eligible_line(order=order, line_id=line_id) is None:
        return _refused(request)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih nilai 1 sampai 5; ulasan paling banyak 2000 huruf."))
        return redirect("orders:track_detail", code=code)
    try:
        services.review_submit(
            order=order,
            line_id=line_id,
            rating=form.cleaned_data["rating"],
            text=form.cleaned_data["text"],
        )
    except services.ReviewRefused:
        return _refused(request)
    messages.success(request, _("Terima kasih! Ulasan Anda tayang setelah diperiksa UPT."))
    return redirect("orders:track_detail", code=code)
