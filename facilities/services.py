"""Every way a staff account changes: created, given a role, a new password,
switched off.

An account's rights come from exactly one thing, its role (the Membership and
the role's group from facilities.roles). These services never set permissions,
other groups, the superuser flag or a role the actor may not give, and they
strip any raw permission or stray group an account picked up elsewhere. Who
may manage which account is facilities.scoping's `Scope.accounts`; the rules
on top of it (nobody changes their own account, a reviewer only switches
accounts off) live here, once, so the admin and any other caller obey them.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from facilities.models import Facility, Membership, Region
from facilities.roles import GROUP_NAMES
from facilities.scoping import scope_for

User = get_user_model()
Role = Membership.Role

# What a reviewer may change on an account of its region: nothing but switching
# it off (an officer who left, a lost phone). Everything else is head office's.
PROFILE_FIELDS = ("first_name", "last_name", "email")


class AccountError(Exception):
    """A refused account change; str(error) is an Indonesian message."""


def _may_manage(actor, account) -> None:
    """Refuse an actor who may not manage `account` at all (or is `account`)."""
    if actor is None:
        return
    if account.pk == actor.pk:
        # Nobody raises (or drops) their own rights; a password of one's own is
        # changed on the admin's own page, which asks for the old one.
        raise AccountError(
            _("Anda tidak dapat mengubah akun Anda sendiri di sini; minta rekan yang berwenang.")
        )
    scope = scope_for(actor)
    if not scope.accounts(User.objects.filter(pk=account.pk)).exists():
        raise AccountError(_("Anda tidak berwenang atas akun ini."))


def role_place(role: str, facility: Facility | None, region: Region | None):
    """The (facility, region) that go with `role`, or an AccountError saying
    what is missing. The accounts form asks it too, to show the error by the field."""
    if role not in Role.values:
        raise AccountError(_("Pilih peran akun."))
    if role == Role.FACILITY_STAFF:
        if facility is None:
            raise AccountError(_("Petugas UPT harus ditempatkan di satu UPT."))
        return facility, None
    if role == Role.REGIONAL_REVIEWER:
        if region is None:
            raise AccountError(_("Peninjau Kanwil harus ditempatkan di satu Kanwil."))
        return None, region
    return None, None


def _apply_role(account, role: str, facility: Facility | None, region: Region | None) -> None:
    """Make the role the account's only source of rights."""
    Membership.objects.update_or_create(
        user=account, defaults={"role": role, "facility": facility, "region": region}
    )
    account.groups.set([Group.objects.get(name=GROUP_NAMES[role])])
    account.user_permissions.clear()
    account._kb_scope = None


def check_password(password: str, account) -> None:
    """Django's password validators, as an AccountError (the form asks it too)."""
    try:
        password_validation.validate_password(password, account)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from exc


def staff_account_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    facility: Facility | None = None,
    region: Region | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
):
    """Create an active staff login with `role` at `facility` or `region`.

    Only head office (or a superuser) creates accounts. The account is staff
    (it may open the admin), never a superuser, and has no permission but its
    role's group. Raises AccountError for a refused actor, a missing or
    taken username, a role without its place, or a weak password.
    """
    if actor is not None and not scope_for(actor).assigns_roles:
        raise AccountError(_("Hanya Kantor Pusat yang dapat membuat akun petugas."))
    username = (username or "").strip()
    if not username:
        raise AccountError(_("Isi nama pengguna."))
    facility, region = role_place(role, facility, region)
    account = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
        is_staff=True,
        is_superuser=False,
        is_active=True,
    )
    check_password(password, account)
    account.set_password(password)
    try:
        with transaction.atomic():
            if User.objects.filter(username__iexact=username).exists():
                raise AccountError(_("Nama pengguna %(name)s sudah dipakai.") % {"name": username})
            account.save()
            _apply_role(account, role, facility, region)
    except IntegrityError as exc:  # the same name created a moment ago
        raise AccountError(_("Nama pengguna %(name)s sudah dipakai.") % {"name": username}) from exc
    return account


_UNSET = object()


def staff_account_update(
    *,
    actor,
    account,
    role=_UNSET,
    facility=_UNSET,
    region=_UNSET,
    is_active=_UNSET,
    first_name=_UNSET,
    last_name=_UNSET,
    email=_UNSET,
):
    """Change another account's role and place, name and email, or switch it
    on or off. Arguments left out stay as they are.

    Head office may change all of it for any account but a superuser's or
    its own; a Kanwil reviewer may only switch off a facility staff account
    of its region. The account always leaves with exactly its role's group
    and no raw permission. Raises AccountError.
    """
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        _may_manage(actor, account)
        scope = scope_for(actor) if actor is not None else None
        membership = Membership.objects.filter(user=account).first()
        current = (
            membership.role if membership else None,
            membership.facility if membership else None,
            membership.region if membership else None,
        )
        wanted = (
            current[0] if role is _UNSET else role,
            current[1] if facility is _UNSET else facility,
            current[2] if region is _UNSET else region,
        )
        profile = {
            name: value.strip()
            for name, value in zip(PROFILE_FIELDS, (first_name, last_name, email), strict=True)
            if value is not _UNSET and value.strip() != getattr(account, name)
        }
        role_changes = wanted[0] is not None and (
            wanted[0] != current[0]
            or (wanted[0] == Role.FACILITY_STAFF and wanted[1] != current[1])
            or (wanted[0] == Role.REGIONAL_REVIEWER and wanted[2] != current[2])
        )
        activating = is_active is not _UNSET and is_active and not account.is_active
        may_assign = scope is None or scope.assigns_roles
        if not may_assign and (role_changes or profile or activating):
            raise AccountError(
                _(
                    "Peninjau Kanwil hanya dapat menonaktifkan akun petugas UPT di "
                    "wilayahnya; perubahan lain dilakukan Kantor Pusat."
                )
            )
        place = role_place(*wanted) if role_changes else current[1:]
        fields = []
        for name, value in profile.items():
            setattr(account, name, value)
            fields.append(name)
        if is_active is not _UNSET and bool(is_active) != account.is_active:
            account.is_active = bool(is_active)
            fields.append("is_active")
        if wanted[0] is not None and not account.is_staff:
            account.is_staff = True
            fields.append("is_staff")
        if fields:
            account.save(update_fields=fields)
        if may_assign and wanted[0] is not None:
            # Also when the role stays: strips what Django's user admin may once
            # have granted beside it.
            _apply_role(account, wanted[0], *place)
    return account


def staff_account_set_password(*, actor, account, password: str) -> None:
    """Give another account a new password (head office, within its scope).

    The account's open sessions end (Django checks the password hash on
    every request). Raises AccountError for a refused actor or a weak password.
    """
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account.pk)
        _may_manage(actor, account)
        if actor is not None and not scope_for(actor).assigns_roles:
            raise AccountError(
                _("Hanya Kantor Pusat yang dapat mengganti kata sandi akun petugas.")
            )
        check_password(password, account)
        account.set_password(password)
        account.save(update_fields=["password"])


def facility_origin_set(*, facility: Facility, village_code: str = "", district_code: str = ""):
    """Sets where couriers pick up: a village (its district, province and
    postal code follow), or only a district (its lowest postal code). Raises ValidationError for a
    code the region data does not hold, or a village outside the district."""
    from regions.models import District, Village

    village = district = None
    if village_code:
        village = (
            Village.objects.select_related("district__regency").filter(code=village_code).first()
        )
        if village is None:
            raise ValidationError(_("Kelurahan/desa %(c)s tidak dikenal.") % {"c": village_code})
        if district_code and village.district_id != district_code:
            raise ValidationError(_("Kelurahan/desa tidak berada di kecamatan yang dipilih."))
        district = village.district
    elif district_code:
        district = District.objects.select_related("regency").filter(code=district_code).first()
        if district is None:
            raise ValidationError(_("Kecamatan %(c)s tidak dikenal.") % {"c": district_code})
    with transaction.atomic():
        facility.origin_village = village
        facility.origin_district = district
        if district is not None:
            facility.origin_province_id = district.regency.province_id
        if village is not None:
            facility.origin_postal_code = village.postal_code
        elif district is not None:
            # Only a district: its lowest postal code stands for it (a district's
            # villages mostly share one or two), so couriers can still price.
            facility.origin_postal_code = (
                Village.objects.filter(district=district)
                .exclude(postal_code="")
                .order_by("postal_code")
                .values_list("postal_code", flat=True)
                .first()
                or ""
            )
        else:
            facility.origin_postal_code = ""
        facility.save(
            update_fields=[
                "origin_village",
                "origin_district",
                "origin_province",
                "origin_postal_code",
                "updated_at",
            ]
        )
    return facility
