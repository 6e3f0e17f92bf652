"""Partner logins: an outlet's, made and switched off by its facility's staff
(or head office); a packaging house's, by head office (a house serves every
facility of its city, so no one facility owns it)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from facilities.models import PartnerOutlet
from facilities.scoping import scope_for
from facilities.services import AccountError, check_password
from partners.models import PackagingHouse, PartnerAccount


class PartnerError(Exception):
    """A refused partner action; str(error) is an Indonesian message."""


def _may_manage(actor, account_outlet, account_house) -> None:
    if actor is None:  # the system itself (seeds, commands), as in catalog
        return
    scope = scope_for(actor)
    if account_outlet is not None and scope.may_act_for(account_outlet.facility_id):
        return
    if account_house is not None and scope.is_national:
        return
    raise PartnerError(_("Anda tidak berwenang atas akun mitra ini."))


def partner_account_create(
    *,
    actor,
    username: str,
    password: str,
    full_name: str = "",
    outlet: PartnerOutlet | None = None,
    packaging_house: PackagingHouse | None = None,
) -> PartnerAccount:
    """A new login limited to `outlet` or `packaging_house` (exactly one).

    The user is never staff and gets no Membership: the admin refuses it and
    every scoped list is empty for it. Raises PartnerError for an actor out
    of scope, a taken name or a weak password.
    """
    if (outlet is None) == (packaging_house is None):
        raise PartnerError(_("Pilih satu mitra: toko mitra atau rumah kemasan."))
    _may_manage(actor, outlet, packaging_house)
    username = (username or "").strip()
    if not username:
        raise PartnerError(_("Isi nama pengguna."))
    User = get_user_model()
    user = User(username=username, first_name=full_name.strip()[:150], is_staff=False)
    try:
        check_password(password, user)
    except AccountError as error:
        raise PartnerError(str(error)) from error
    user.set_password(password)
    taken = _("Nama pengguna %(name)s sudah dipakai.") % {"name": username}
    try:
        with transaction.atomic():
            if User.objects.filter(username__iexact=username).exists():
                raise PartnerError(taken)
            user.save()
            return PartnerAccount.objects.create(
                user=user, outlet=outlet, packaging_house=packaging_house, created_by=actor
            )
    except IntegrityError as error:  # the same name created a moment ago
        raise PartnerError(taken) from error


def partner_account_set_active(*, actor, account: PartnerAccount, active: bool) -> None:
    """Switch a partner login off (or on again). Off takes effect at once: the
    desk checks is_active on every request and Django's session refuses an
    inactive user."""
    _may_manage(actor, account.outlet, account.packaging_house)
    get_user_model().objects.filter(pk=account.user_id).update(is_active=active)
