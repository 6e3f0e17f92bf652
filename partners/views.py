"""The partner desk on a phone (/mitra/): a partner outlet sees what it holds,
reports sales and returns, confirms hand-overs, and sees and pays what it owes
per month; a packaging house sees its requests and answers them. Every view
asks partners.selectors.partner_account_for first: a login limited to one
partner, never facility staff."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from catalog.models import ConsignmentMovement
from catalog.services import ConsignmentError
from core.images import ImageRejected
from core.private_media import private_file_response
from partners import selectors, services
from partners.forms import OutletReportForm, PaymentForm, ProposalForm
from partners.models import PackagingPhoto, PackagingRequest


class PartnerLoginView(LoginView):
    template_name = "partners/login.html"
    redirect_authenticated_user = False

    def get_success_url(self):
        return reverse("partners:desk")


def partner_required(kind: str):
    """The view runs only for an active partner login of `kind` ("outlet" or
    "house"); anyone else is sent to the desk's sign-in, or gets 404 for the
    other kind's pages."""

    def decorate(view):
        @never_cache
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            account = selectors.partner_account_for(request.user)
            if account is None:
                return redirect(f"{reverse('partners:login')}?next={request.path}")
            if (kind == "outlet") != (account.outlet_id is not None):
                raise Http404
            return view(request, account, *args, **kwargs)

        return wrapped

    return decorate


@never_cache
def desk(request):
    account = selectors.partner_account_for(request.user)
    if account is None:
        return redirect("partners:login")
    if account.packaging_house_id:
        requests = selectors.house_requests(account)
        return render(request, "partners/house.html", {"account": account, "requests": requests})
    outlet = account.outlet
    return render(
        request,
        "partners/outlet.html",
        {
            "account": account,
            "outlet": outlet,
            "holdings": selectors.holdings(outlet),
            "pending": selectors.pending_handovers(outlet),
            "months": selectors.owed_by_month([outlet.pk])[outlet.pk][:12],
            "movements": selectors.recent_movements(outlet),
            "payments": selectors.payments_of(outlet),
        },
    )


def _report(request, account, *, selling: bool):
    kind = ConsignmentMovement.Kind.SOLD if selling else ConsignmentMovement.Kind.RETURNED
    form = OutletReportForm(request.POST or None, outlet=account.outlet, selling=selling)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            movement, created = services.outlet_report(
                account=account,
                kind=kind,
                link=data["link"],
                quantity=data["quantity"],
                unit_price=data.get("unit_price"),
                occurred_on=data["occurred_on"],
                key=data["key"],
            )
        except (services.PartnerError, ConsignmentError) as error:
            form.add_error(None, str(error))
        else:
            if created:
                done = _("Tercatat: %(n)s × %(name)s %(what)s.") % {
                    "n": movement.quantity,
                    "name": movement.link.product.name,
                    "what": _("terjual") if selling else _("dikembalikan"),
                }
                messages.success(request, done)
            else:
                messages.info(request, _("Laporan ini sudah tercatat sebelumnya."))
            return redirect("partners:desk")
    title = _("Lapor terjual") if selling else _("Kembalikan ke UPT")
    return render(
        request,
        "partners/report.html",
        {"form": form, "title": title, "selling": selling, "account": account},
        status=400 if form.errors else 200,
    )


@partner_required("outlet")
def report_sold(request, account):
    return _report(request, account, selling=True)


@partner_required("outlet")
def report_return(request, account):
    return _report(request, account, selling=False)


@require_POST
@partner_required("outlet")
def acknowledge(request, account, movement_id):
    movement = get_object_or_404(
        ConsignmentMovement.objects.select_related("link"),
        pk=movement_id,
        link__outlet_id=account.outlet_id,
        kind=ConsignmentMovement.Kind.HANDOVER,
    )
    services.handover_acknowledge(account=account, movement=movement)
    messages.success(request, _("Terima kasih: serah terima dikonfirmasi."))
    return redirect("partners:desk")


@partner_required("outlet")
def payment(request, account):
    form = PaymentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.outlet_payment_report(
                account=account,
                month=data["month"],
                amount=data["amount"],
                paid_on=data["paid_on"],
                proof=data["proof"],
                key=data["key"],
            )
        except (services.PartnerError, ImageRejected) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Setoran dikirim; UPT akan mengonfirmasi."))
            return redirect("partners:desk")
    return render(
        request,
        "partners/payment.html",
        {"form": form, "account": account},
        status=400 if form.errors else 200,
    )


@partner_required("house")
def house_request(request, account, request_id):
    packaging_request = get_object_or_404(selectors.house_requests(account), pk=request_id)
    form = ProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.packaging_proposal_send(account=account, request=packaging_request, **data)
        except (services.PartnerError, ImageRejected) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Usulan dikirim ke UPT."))
            return redirect("partners:desk")
    return render(
        request,
        "partners/house_request.html",
        {
            "account": account,
            "item": packaging_request,
            "open": packaging_request.status
            in (PackagingRequest.Status.OPEN, PackagingRequest.Status.PROPOSED),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@partner_required("house")
def house_photo(request, account, request_id, photo_id=None):
    """A request's photo or one of the house's proposal photos: private files,
    to this house only."""
    packaging_request = get_object_or_404(selectors.house_requests(account), pk=request_id)
    if photo_id is None:
        file = packaging_request.photo
    else:
        file = get_object_or_404(
            PackagingPhoto, pk=photo_id, proposal__request=packaging_request
        ).file
    if not file:
        raise Http404
    return private_file_response(file, content_type="image/jpeg", download_name="foto.jpg")


@require_POST
def sign_out(request):
    logout(request)
    return redirect("partners:login")
