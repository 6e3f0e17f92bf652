"""The stand till's pages: the phone till (a page plus JSON for its script),
opening with stock set aside, closing the day, volunteers, the slip, the
event report, and the gateway's notification for stand charges."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.barcodes import qr_file
from facilities.models import Exhibition, Facility
from facilities.scoping import scope_for
from stand import access, selectors, services
from stand.forms import DayCloseForm, ReceiptForm, ResolveForm, VolunteerForm
from stand.models import PaymentKind, Sale

LOGIN = reverse_lazy("stand:login")
# The till scans labels with the phone camera: only its pages may ask for it.
CAMERA_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"


class StandLogin(LoginView):
    template_name = "stand/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("stand:home")


def _till(request, till_id):
    till = selectors.till_for(request.user, till_id)
    if till is None:
        raise Http404
    return till


def _managed_till(request, till_id):
    till = _till(request, till_id)
    if not access.may_manage(request.user, till):
        raise Http404
    return till


@never_cache
@login_required(login_url=LOGIN)
def home(request):
    """Staff: their tills and the events to open one at; a volunteer: its till."""
    volunteer = access.volunteer_of(request.user)
    if volunteer is not None:
        return redirect("stand:till", till_id=volunteer.till_id)
    scope = scope_for(request.user)
    if scope.role is None:
        raise Http404
    return render(
        request,
        "stand/home.html",
        {
            "tills": selectors.tills_for_staff(request.user),
            "to_open": selectors.exhibitions_to_open(request.user),
        },
    )


@never_cache
@login_required(login_url=LOGIN)
def open_till(request, exhibition_id):
    """Open the facility's till at an event: choose what to set aside."""
    exhibition = get_object_or_404(Exhibition, pk=exhibition_id)
    scope = scope_for(request.user)
    if not scope.is_facility_staff or not services.facility_at(exhibition, scope.facility_id):
        raise Http404
    facility = get_object_or_404(Facility, pk=scope.facility_id)
    products = selectors.products_to_set_aside(exhibition, facility)
    errors = []
    if request.method == "POST":
        quantities = {}
        for product in products:
            raw = request.POST.get(f"q-{product.pk}", "").strip() or "0"
            if not raw.isdigit():
                errors.append(_("%(name)s: jumlah harus angka.") % {"name": product.name})
                continue
            quantities[product.pk] = int(raw)
        if not errors:
            try:
                till = services.till_open(
                    exhibition=exhibition, facility=facility, by=request.user, quantities=quantities
                )
            except services.StandError as error:
                errors.append(str(error))
            else:
                messages.success(request, _("Kasir dibuka; stok disisihkan dari toko online."))
                return redirect("stand:till", till_id=till.pk)
    return render(
        request,
        "stand/open.html",
        {"exhibition": exhibition, "facility": facility, "products": products, "errors": errors},
        status=400 if errors else 200,
    )


@never_cache
@login_required(login_url=LOGIN)
def till_page(request, till_id):
    till = _till(request, till_id)
    response = render(
        request,
        "stand/till.html",
        {
            "till": till,
            "manager": access.may_manage(request.user, till),
            "qris": services.qris_offered(),
            "closed": till.status != till.Status.OPEN,
        },
    )
    response.headers["Permissions-Policy"] = CAMERA_POLICY
    return response


def _sale_json(sale: Sale, till) -> dict:
    return {
        "uuid": str(sale.client_uuid),
        "status": sale.status,
        "label": str(sale.get_status_display()),
        "payment": sale.payment,
        "payment_label": str(sale.get_payment_display()),
        "total": sale.total,
        "change": sale.change,
        "note": sale.note,
        "offline": sale.offline,
        "at": timezone.localtime(sale.sold_at).strftime("%d/%m %H:%M"),
        "lines": [f"{line.quantity}× {line.name}" for line in sale.lines.all()],
        "receipt": reverse("stand:receipt", args=[till.pk, sale.client_uuid]),
    }


@never_cache
@require_GET
@login_required(login_url=LOGIN)
def till_data(request, till_id):
    """What the phone shows and keeps for offline: products with what is
    left, the recent sales (both phones'), and the till's version."""
    till = _till(request, till_id)
    return JsonResponse(
        {
            "version": till.version,
            "open": till.status == till.Status.OPEN,
            "products": selectors.till_products(till),
            "sales": [_sale_json(s, till) for s in selectors.recent_sales(till)],
            "at": timezone.now().isoformat(),
        }
    )


def _json_body(request):
    try:
        return json.loads(request.body or b"{}")
    except ValueError:
        return None


@require_POST
@login_required(login_url=LOGIN)
def sale_post(request, till_id):
    """One sale made online. The same UUID again answers the first sale."""
    till = _till(request, till_id)
    data = _json_body(request)
    if not isinstance(data, dict):
        return JsonResponse({"error": _("Data penjualan tidak lengkap.")}, status=400)
    try:
        sale, created = services.sale_record(
            till=till, sale=services.parse_sale(data), by=request.user
        )
    except services.NotAllowed as error:
        raise Http404 from error
    except services.StandError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse(
        {**_sale_json(sale, till), "created": created}, status=201 if created else 200
    )


@require_POST
@login_required(login_url=LOGIN)
def sync_post(request, till_id):
    """The phone's queue of offline sales, each applied once."""
    till = _till(request, till_id)
    data = _json_body(request)
    if not isinstance(data, dict) or not isinstance(data.get("sales"), list):
        return JsonResponse({"error": _("Data sinkronisasi tidak lengkap.")}, status=400)
    try:
        results = services.sales_sync(till=till, sales=data["sales"][:500], by=request.user)
    except services.NotAllowed as error:
        raise Http404 from error
    return JsonResponse(
        {
            "results": [
                {
                    "uuid": r.uuid,
                    "status": r.status,
                    "label": r.label,
                    "applied": r.applied,
                    "error": r.error,
                }
                for r in results
            ]
        }
    )


def _sale(till, key) -> Sale:
    sale = selectors.sale_of_till(till, key)
    if sale is None:
        raise Http404
    return sale


@require_POST
@login_required(login_url=LOGIN)
def qris_start(request, till_id, key):
    till = _till(request, till_id)
    sale = _sale(till, key)
    try:
        charge = services.qris_charge(sale=sale)
    except services.StandError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse(
        {
            "qr": reverse("stand:qris_svg", args=[till.pk, key]),
            "status": charge.status,
            "reference": charge.gateway_order_id,
            "amount": charge.amount,
        }
    )


@never_cache
@require_GET
@login_required(login_url=LOGIN)
def qris_status(request, till_id, key):
    """The QR screen's poller: asks the gateway too, in case its
    notification is late."""
    till = _till(request, till_id)
    sale = _sale(till, key)
    charge = sale.qris_charges.order_by("-pk").first()
    if charge is not None:
        charge = services.qris_refresh(charge=charge)
        sale.refresh_from_db()
    return JsonResponse(_sale_json(sale, till))


@require_GET
@login_required(login_url=LOGIN)
def qris_svg(request, till_id, key):
    till = _till(request, till_id)
    sale = _sale(till, key)
    charge = sale.qris_charges.exclude(qr_string="").order_by("-pk").first()
    if charge is None:
        raise Http404
    response = HttpResponse(qr_file(charge.qr_string), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@login_required(login_url=LOGIN)
def sale_cancel(request, till_id, key):
    till = _till(request, till_id)
    sale = _sale(till, key)
    try:
        sale = services.sale_void(sale=sale, by=request.user, reason=_("Dibatalkan di kasir."))
    except services.StandError as error:
        return JsonResponse({"error": str(error)}, status=409)
    return JsonResponse(_sale_json(sale, till))


@never_cache
@login_required(login_url=LOGIN)
def receipt(request, till_id, key):
    """The printable slip; its form sends the receipt by WhatsApp."""
    till = _till(request, till_id)
    sale = _sale(till, key)
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.receipt_whatsapp(sale=sale, phone=form.cleaned_data["phone"], by=request.user)
        except services.StandError as error:
            form.add_error("phone", str(error))
        else:
            messages.success(request, _("Struk terkirim lewat WhatsApp."))
            return redirect("stand:receipt", till_id=till.pk, key=key)
    return render(
        request,
        "stand/receipt.html",
        {"till": till, "sale": sale, "form": form, "whatsapp": services.whatsapp.enabled()},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required(login_url=LOGIN)
def stock_page(request, till_id):
    """Set more aside while the event runs."""
    till = _managed_till(request, till_id)
    products = selectors.products_to_set_aside(till.exhibition, till.facility)
    errors = []
    if request.method == "POST":
        quantities = {}
        for product in products:
            raw = request.POST.get(f"q-{product.pk}", "").strip() or "0"
            if not raw.isdigit():
                errors.append(_("%(name)s: jumlah harus angka.") % {"name": product.name})
            else:
                quantities[product.pk] = int(raw)
        if not errors:
            try:
                services.stock_set_aside(till=till, by=request.user, quantities=quantities)
            except services.StandError as error:
                errors.append(str(error))
            else:
                messages.success(request, _("Stok ditambahkan ke stan."))
                return redirect("stand:till", till_id=till.pk)
    return render(
        request,
        "stand/open.html",
        {
            "exhibition": till.exhibition,
            "facility": till.facility,
            "products": products,
            "errors": errors,
            "till": till,
        },
        status=400 if errors else 200,
    )


@never_cache
@login_required(login_url=LOGIN)
def close_page(request, till_id):
    """Close a day (count the money) and, at the end, close the till."""
    till = _till(request, till_id)
    manager = access.may_manage(request.user, till)
    form = DayCloseForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and request.POST.get("action") == "till":
        if not manager:
            raise Http404
        back = services.till_close(till=till, by=request.user)
        messages.success(
            request,
            _("Kasir ditutup; %(n)s barang kembali ke stok toko online.")
            % {"n": sum(back.values())},
        )
        return redirect("stand:close", till_id=till.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.day_close(
                till=till,
                day=form.cleaned_data["day"],
                cash_counted=form.cleaned_data["cash_counted"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.StandError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Hari ditutup."))
            return redirect("stand:close", till_id=till.pk)
    day = (
        form.initial.get("day")
        if not form.is_bound
        else (form.cleaned_data.get("day") if form.is_valid() else None)
    )
    expected = services.day_expected(till, day or timezone.localdate())
    return render(
        request,
        "stand/close.html",
        {
            "till": till,
            "form": form,
            "manager": manager,
            "expected": expected,
            "kinds": PaymentKind,
            "closings": selectors.closings(till),
            "flagged": selectors.flagged_sales(till),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required(login_url=LOGIN)
def volunteers(request, till_id):
    till = _managed_till(request, till_id)
    form = VolunteerForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            _volunteer, username, password = services.volunteer_create(
                till=till, name=form.cleaned_data["name"], by=request.user
            )
        except services.StandError as error:
            form.add_error(None, str(error))
        else:
            made = {"username": username, "password": password}
            form = VolunteerForm()
    return render(
        request,
        "stand/volunteers.html",
        {
            "till": till,
            "form": form,
            "made": made,
            "volunteers": till.volunteers.select_related("user"),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required(login_url=LOGIN)
def resolve(request, till_id, key):
    till = _managed_till(request, till_id)
    sale = _sale(till, key)
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sale_resolve(
                sale=sale,
                by=request.user,
                accept=form.cleaned_data["accept"],
                note=form.cleaned_data["note"],
            )
        except services.StandError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Penjualan sudah diperiksa."))
            return redirect("stand:close", till_id=till.pk)
    return render(
        request,
        "stand/resolve.html",
        {"till": till, "sale": sale, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required(login_url=LOGIN)
def report(request, exhibition_id):
    """The event report for the tills this person may read (facility, Kanwil)."""
    exhibition = get_object_or_404(Exhibition, pk=exhibition_id)
    tills = selectors.report_tills(request.user, exhibition)
    if not tills.exists():
        raise Http404
    return render(
        request,
        "stand/report.html",
        {
            "exhibition": exhibition,
            "tills": tills,
            "report": selectors.event_report(tills),
            "kinds": dict(PaymentKind.choices),
        },
    )


@csrf_exempt
@require_POST
def gateway_notification(request):
    """The gateway's notification for a stand QRIS charge: verified, applied
    once (a repeat changes nothing), answered at once."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"status": "bad request"}, status=400)
    try:
        services.qris_notification_receive(payload=payload)
    except services.NotAllowed:
        return JsonResponse({"status": "invalid signature"}, status=403)
    return JsonResponse({"status": "ok"})
