"""The privacy notice, and the shopper's requests about their data from the
tracking page: download, correct, delete.

Every request page starts where the tracking page does: the order must be one
this browser opened with its code and phone (orders.tracking.TRACKED_KEY);
anything else is sent to the tracking form exactly as a wrong code is, so
nothing tells a stranger that an order exists. Where the order has an email,
a one-time code mailed to it is asked for too (orders.privacy.otp_*).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.rate_limits import count_key
from orders import privacy, selectors
from orders.forms import AddressForm, ContactForm, SummaryError, summary_of
from orders.privacy.models import PrivacyRequest
from orders.tracking import TRACKED_KEY

OTP_SENDS_KEY = "kb_privacy_otp_sends"
OTP_SENDS_LIMIT = 3  # per order per browser session: a mailbox is not a spam target
# Per order across sessions (a new session needs the code and phone again, but
# whoever has them could otherwise keep mailing the shopper).
OTP_MAILS_PER_HOUR = 6


def notice(request):
    return render(
        request,
        "privacy/notice.html",
        {
            "version": privacy.NOTICE_VERSION,
            "response_hours": privacy.RESPONSE_HOURS,
            "retention_days": settings.PRIVACY_RETENTION_DAYS,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


def _order(request, code):
    """The order, if this browser proved it holds the code and phone; else None."""
    if code not in request.session.get(TRACKED_KEY, []):
        return None
    return selectors.order_for_tracking(code)


def _forms(order, data=None, *, check: bool = True):
    """The contact and address forms, bound to `data`; with `check=False` (an
    address "Pilih") the posted values come back as initial values, so the
    next level is listed and nothing is flagged yet, as at checkout."""

    def initial(prefix: str, default: dict) -> dict:
        if data is None or check:
            return default
        start = f"{prefix}-"
        return {k.removeprefix(start): data.get(k) for k in data if k.startswith(start)}

    bound = data if check else None
    contact = ContactForm(
        bound,
        prefix="c",
        initial=initial(
            "c",
            {
                "name": order.contact_name,
                "phone": order.contact_phone,
                "email": order.contact_email,
            },
        ),
    )
    # The same chained official address as checkout (orders/address_form.py).
    address = AddressForm(
        bound,
        prefix="a",
        initial=initial(
            "a",
            {
                "province": order.region_province_code,
                "regency": order.region_regency_code,
                "district": order.region_district_code,
                "village": order.region_village_code,
                "postal_code": order.postal_code,
                "street": order.street,
            },
        ),
    )
    return contact, address


def _summary(contact, address) -> list[SummaryError]:
    """Every error at the top of the page, each linked to its field."""
    forms = [(contact, ""), (address, _("Alamat"))]
    return summary_of(
        [(form, section) for form, section in forms if form is not None and form.is_bound]
    )


def _page(request, order, *, contact=None, address=None, status=200):
    verified = privacy.is_verified(session=request.session, order=order)
    correctable = order.status in privacy.CORRECTABLE
    if verified and correctable and contact is None:
        contact, address = _forms(order)
    address = address if order.is_delivery else None
    erased = hasattr(order, "erasure")
    refusal = privacy.erasure_refusal(order)
    # What is still owed on this order, if the shopper asked now (the same
    # rule staff and retention obey): this order's own matters only.
    holds = [] if erased or refusal else privacy.erasure_holds(order)
    return render(
        request,
        "privacy/request.html",
        {
            "order": order,
            "masked_phone": privacy.mask_phone(order.contact_phone),
            "masked_email": privacy.mask_email(order.contact_email),
            "masked_address": privacy.masked_address(order),
            "otp_required": privacy.otp_required(order),
            "verified": verified,
            "correctable": correctable,
            "contact_form": contact,
            "address_form": address,
            "legacy_address": order.is_delivery and not order.region_village_code,
            "summary": _summary(contact, address) if contact is not None else [],
            "deletion_refusal": refusal,
            "deletion_holds": holds,
            "deletion_until": privacy.holds_until(holds),
            "requests": order.privacy_requests.all(),
            "erased": erased,
            "response_hours": privacy.RESPONSE_HOURS,
        },
        status=status,
    )


def _guarded(view):
    """Resolve the order (or answer as the tracking page does) and, for actions,
    insist on a verified session."""

    def wrapper(request, code):
        order = _order(request, code)
        if order is None:
            return redirect("orders:track")
        if not privacy.is_verified(session=request.session, order=order):
            messages.error(request, _("Masukkan dulu kode verifikasi yang dikirim ke email Anda."))
            return redirect("privacy:home", code=code)
        return view(request, order)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def home(request, code):
    order = _order(request, code)
    if order is None:
        return redirect("orders:track")
    return _page(request, order)


def _hourly_mail_allowed(code: str) -> bool:
    # Shared by every worker (the database counter), not the per-process cache.
    return count_key(f"privacy-otp:{code}", 3600) <= OTP_MAILS_PER_HOUR


@require_POST
def otp_send(request, code):
    order = _order(request, code)
    if order is None:
        return redirect("orders:track")
    if not privacy.otp_required(order):
        return redirect("privacy:home", code=code)
    sends = dict(request.session.get(OTP_SENDS_KEY, {}))
    if sends.get(order.code, 0) >= OTP_SENDS_LIMIT or not _hourly_mail_allowed(order.code):
        messages.error(
            request,
            _("Kode sudah dikirim beberapa kali. Periksa email Anda, termasuk folder spam."),
        )
        return redirect("privacy:home", code=code)
    try:
        privacy.otp_send(session=request.session, order=order)
    except Exception:  # mail trouble: say so, keep the page working
        messages.error(request, _("Email kode verifikasi gagal dikirim. Coba lagi nanti."))
        return redirect("privacy:home", code=code)
    sends[order.code] = sends.get(order.code, 0) + 1
    request.session[OTP_SENDS_KEY] = sends
    messages.success(
        request,
        _("Kode verifikasi dikirim ke %(email)s. Berlaku 10 menit.")
        % {"email": privacy.mask_email(order.contact_email)},
    )
    return redirect("privacy:home", code=code)


@require_POST
def otp_verify(request, code):
    order = _order(request, code)
    if order is None:
        return redirect("orders:track")
    if privacy.otp_check(session=request.session, order=order, otp=request.POST.get("otp", "")):
        messages.success(request, _("Terverifikasi. Anda bisa mengajukan permintaan data."))
    else:
        messages.error(request, _("Kode verifikasi salah atau sudah kedaluwarsa."))
    return redirect("privacy:home", code=code)


@require_POST
@_guarded
def download(request, order):
    """The shopper's data in this order, as a JSON file."""
    data = privacy.order_data_export(order=order)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="data-pesanan-{order.code}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# The address's "Pilih" (no JavaScript): the page again with the next level.
CHOOSE_ACTION = "region"
REGION_FIELDS = ("a-province", "a-regency", "a-district", "a-village")


@require_POST
@_guarded
def correct(request, order):
    if request.POST.get("action") == CHOOSE_ACTION and order.status in privacy.CORRECTABLE:
        contact, address = _forms(order, request.POST, check=False)
        return _page(request, order, contact=contact, address=address)
    contact, address = _forms(order, request.POST)
    # An order placed before official addresses keeps its free-text address
    # unless the shopper picks regions for it.
    keep_legacy = not order.region_village_code and not any(
        request.POST.get(name) for name in REGION_FIELDS
    )
    changes_address = order.is_delivery and not keep_legacy
    if not changes_address:
        address = _forms(order)[1]  # shown again as it was, never checked
    valid = contact.is_valid() & (address.is_valid() if changes_address else True)
    if valid and changes_address:
        address.require_all()
        valid = not address.errors
    if not valid:
        messages.error(request, _("Periksa lagi isian yang ditandai."))
        return _page(request, order, contact=contact, address=address, status=400)
    try:
        changed = privacy.order_contact_correct(
            order=order,
            contact=contact.to_contact(),
            address=address.to_address() if changes_address else None,
        )
    except privacy.PrivacyError as error:
        if not hasattr(error, "field"):  # past correcting: the reason, on the page
            messages.error(request, " ".join(error.messages))
            return redirect("privacy:home", code=order.code)
        # An address refused by the placement check: at its field and at the top.
        address.add_error(getattr(error, "field", None), " ".join(error.messages))
        messages.error(request, _("Periksa lagi isian yang ditandai."))
        return _page(request, order, contact=contact, address=address, status=400)
    if changed:
        messages.success(request, _("Data kontak diperbarui."))
    else:
        messages.info(request, _("Tidak ada yang berubah."))
    return redirect("privacy:home", code=order.code)


@require_POST
@_guarded
def delete(request, order):
    answer = privacy.privacy_deletion_request(order=order)
    if answer.status == PrivacyRequest.Status.REFUSED:
        messages.error(request, answer.refusal_reason)
    elif answer.status == PrivacyRequest.Status.HELD:
        if answer.held_until:
            when = _("perkiraan %(day)s") % {"day": date_format(answer.held_until, "j F Y")}
        else:
            when = _("tanggalnya belum bisa dipastikan")
        messages.warning(
            request,
            _(
                "Permintaan penghapusan diterima tetapi ditunda: %(reason)s Data dihapus "
                "otomatis setelah urusan itu tuntas (%(when)s)."
            )
            % {"reason": answer.held_reason, "when": when},
        )
    else:
        due = date_format(timezone.localtime(answer.due_at), "j F Y H:i")
        messages.success(
            request,
            _("Permintaan penghapusan diterima dan dijawab paling lambat %(due)s.") % {"due": due},
        )
    return redirect("privacy:home", code=order.code)
