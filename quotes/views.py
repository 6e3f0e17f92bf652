"""The buyer's side: ask for a quote, open it by its private link, accept it
or ask for a change. A link that matches nothing is a plain 404: it says
nothing about whether a request exists."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from catalog.models import Product
from core.rate_limits import rate_limit
from facilities.models import Facility
from quotes import requote, selectors, services
from quotes.forms import ChangeRequestForm, QuoteRequestForm

MAX_PRODUCTS_ON_FORM = 60


def _facility_and_products(request):
    """The facility the form is for (?product= or ?facility=) and its public
    products, the chosen one first; 404 for anything else."""
    product_slug = request.GET.get("product", "")
    facility_slug = request.GET.get("facility", "")
    public = Product.objects.public().select_related("facility")
    chosen = None
    if product_slug:
        chosen = public.filter(slug=product_slug).first()
        facility = chosen.facility if chosen else None
    else:
        facility = Facility.objects.filter(slug=facility_slug, is_active=True).first()
    if facility is None:
        raise Http404
    products = list(public.filter(facility=facility).order_by("name")[:MAX_PRODUCTS_ON_FORM])
    if chosen is not None:
        products = [chosen] + [p for p in products if p.pk != chosen.pk]
    if not products:
        raise Http404
    return facility, products, chosen


@never_cache
def request_create(request):
    facility, products, chosen = _facility_and_products(request)
    if request.method == "POST":
        form = QuoteRequestForm(request.POST, products=products)
        if not rate_limit("quote").consume(request):
            return render(request, "429.html", status=429)
        if form.is_valid():
            d = form.cleaned_data
            try:
                quote_request = services.request_submit(
                    facility_id=facility.pk,
                    items=form.items(),
                    buyer=services.Buyer(
                        organisation=d["buyer_organisation"].strip(),
                        npwp=d["buyer_npwp"],
                        contact_name=d["contact_name"].strip(),
                        contact_phone=d["contact_phone"],
                        contact_email=d["contact_email"],
                    ),
                    delivery=services.Delivery(
                        province=d["province"],
                        city=d["city"].strip(),
                        street=d["street"].strip(),
                        needed_by=d["needed_by"],
                    ),
                    notes=d["notes"].strip(),
                    ready_by=d.get("ready_by"),
                )
            except ValidationError as error:
                for text in error.messages:
                    form.add_error(None, text)
            else:
                messages.success(
                    request,
                    _(
                        "Permintaan penawaran %(code)s terkirim. Simpan alamat halaman ini: "
                        "penawaran UPT akan muncul di sini dan dikirim ke email Anda."
                    )
                    % {"code": quote_request.code},
                )
                return redirect("quotes:detail", token=quote_request.token)
    else:
        initial = {f"qty_{chosen.pk}": chosen.min_order_quantity} if chosen else {}
        form = QuoteRequestForm(products=products, initial=initial)
    return render(request, "quotes/request_form.html", {"form": form, "facility": facility})


def _by_token(token: str):
    quote_request = selectors.request_by_token(token)
    if quote_request is None:
        raise Http404
    return quote_request


@never_cache
def quote_detail(request, token):
    quote_request = _by_token(token)
    context = selectors.quote_page(quote_request)
    context["change_form"] = ChangeRequestForm()
    response = render(request, "quotes/detail.html", context)
    # The link is the key: never sent to another site, never indexed.
    # ("no-referrer" would also blank the Origin of the page's own forms,
    # which Django's CSRF check then refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _quote_id(request) -> int:
    try:
        return int(request.POST.get("quote", ""))
    except ValueError:
        return 0


@require_POST
def quote_accept(request, token):
    if not rate_limit("quote").consume(request):
        return render(request, "429.html", status=429)
    quote_request = _by_token(token)
    try:
        order = services.quote_accept(request=quote_request, quote_id=_quote_id(request))
    except services.QuoteError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Penawaran disetujui. Pesanan %(code)s sudah dibuat.") % {"code": order.code},
        )
    return redirect("quotes:detail", token=token)


@require_POST
def quote_change(request, token):
    if not rate_limit("quote").consume(request):
        return render(request, "429.html", status=429)
    quote_request = _by_token(token)
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan perubahan yang Anda minta."))
        return redirect("quotes:detail", token=token)
    try:
        services.quote_request_change(
            request=quote_request, quote_id=_quote_id(request), note=form.cleaned_data["note"]
        )
    except services.QuoteError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Permintaan perubahan terkirim ke UPT."))
    return redirect("quotes:detail", token=token)


@require_POST
def quote_requote(request, token):
    """One tap: the quote can no longer be filled, ask the facility for a new version."""
    if not rate_limit("quote").consume(request):
        return render(request, "429.html", status=429)
    quote_request = _by_token(token)
    try:
        requote.quote_requote(request=quote_request, quote_id=_quote_id(request))
    except services.QuoteError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Permintaan versi baru terkirim ke UPT. Penawaran baru akan muncul di halaman ini."),
        )
    return redirect("quotes:detail", token=token)
