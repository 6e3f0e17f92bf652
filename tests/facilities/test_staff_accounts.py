"""Staff accounts: managed by role and place on a scoped screen, never by raw
permissions or flags. Each test tries to cross one rule over the admin (the
way the attack on the running site did) or through the services."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from facilities import services
from facilities.models import Membership
from facilities.roles import GROUP_NAMES
from tests.factories import (
    FacilityFactory,
    UserFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)

pytestmark = pytest.mark.django_db

ACCOUNTS = "/admin/facilities/staffaccount/"
STRONG = "Lapas-Kendari-2026!"
Role = Membership.Role


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _review_permission():
    return Permission.objects.get(content_type__app_label="catalog", codename="review_product")


def _change_form(account, **overrides):
    membership = Membership.objects.filter(user=account).first()
    data = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "is_active": "on" if account.is_active else "",
        "role": membership.role if membership else "",
        "facility": membership.facility_id or "" if membership else "",
        "region": membership.region_id or "" if membership else "",
        "password1": "",
        "password2": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _rights(user):
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        list(user.user_permissions.values_list("codename", flat=True)),
    )


# --- Django's own user and group admins ---------------------------------------


def test_head_office_cannot_make_itself_superuser_through_djangos_user_admin(client):
    boss = head_office_user()
    # Even holding the permissions the stock admin asks for.
    boss.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth"))
    client.force_login(boss)
    page = f"/admin/auth/user/{boss.pk}/change/"
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(page).status_code == 403
    response = client.post(
        page,
        {
            "username": boss.username,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 403
    assert client.get(f"/admin/auth/user/{boss.pk}/password/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    assert not User.objects.get(pk=boss.pk).is_superuser
    # Not even listed on the admin's index.
    assert "/admin/auth/user/" not in client.get("/admin/").content.decode()


def test_superusers_keep_djangos_user_admin(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/auth/group/").status_code == 200


# --- the accounts screen: head office -------------------------------------------


def test_head_office_creates_a_facility_officer_with_role_and_place(client, facility):
    client.force_login(head_office_user())
    response = client.post(
        f"{ACCOUNTS}add/",
        {
            "username": "petugas.kendari",
            "first_name": "Rina",
            "last_name": "Wati",
            "email": "rina@example.go.id",
            "role": Role.FACILITY_STAFF,
            "facility": facility.pk,
            "region": "",
            "password1": STRONG,
            "password2": STRONG,
            # A tampered form trying to slip flags and rights in.
            "is_superuser": "on",
            "user_permissions": [_review_permission().pk],
            "groups": [Group.objects.get(name=GROUP_NAMES[Role.HEAD_OFFICE]).pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account = User.objects.get(username="petugas.kendari")
    assert account.is_staff and account.is_active and account.check_password(STRONG)
    assert _rights(account) == (False, [GROUP_NAMES[Role.FACILITY_STAFF]], [])
    membership = account.membership
    assert (membership.role, membership.facility, membership.region) == (
        Role.FACILITY_STAFF,
        facility,
        None,
    )
    assert not account.has_perm("catalog.review_product")
    # The new officer can sign in with it.
    client.logout()
    assert client.login(username="petugas.kendari", password=STRONG)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": Role.FACILITY_STAFF, "facility": ""}, "harus ditempatkan di satu UPT"),
        ({"role": Role.REGIONAL_REVIEWER, "region": ""}, "harus ditempatkan di satu Kanwil"),
        ({"password1": "12345678", "password2": "12345678"}, "terlalu umum"),
        ({"password2": "Lain-Sekali-2026!"}, "Kedua kata sandi tidak sama"),
    ],
)
def test_account_form_refuses_what_the_rules_refuse(client, facility, fields, message):
    client.force_login(head_office_user())
    data = {
        "username": "akun.baru",
        "role": Role.FACILITY_STAFF,
        "facility": facility.pk,
        "region": "",
        "password1": STRONG,
        "password2": STRONG,
        **fields,
    }
    response = client.post(f"{ACCOUNTS}add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="akun.baru").exists()


def test_head_office_cannot_hand_a_facility_officer_the_review_permission(client, facility):
    officer = facility_staff(facility)
    client.force_login(head_office_user())
    form = _change_form(
        officer,
        user_permissions=[_review_permission().pk],
        groups=[Group.objects.get(name=GROUP_NAMES[Role.REGIONAL_REVIEWER]).pk],
        is_superuser="on",
        is_staff="on",
    )
    response = client.post(f"{ACCOUNTS}{officer.pk}/change/", form)
    assert response.status_code == 302
    assert _rights(officer) == (False, [GROUP_NAMES[Role.FACILITY_STAFF]], [])
    assert not User.objects.get(pk=officer.pk).has_perm("catalog.review_product")


def test_saving_an_account_strips_rights_granted_elsewhere(client, facility):
    officer = facility_staff(facility)
    officer.user_permissions.add(_review_permission())
    officer.groups.add(Group.objects.get(name=GROUP_NAMES[Role.REGIONAL_REVIEWER]))
    client.force_login(head_office_user())
    response = client.post(f"{ACCOUNTS}{officer.pk}/change/", _change_form(officer))
    assert response.status_code == 302
    assert _rights(officer) == (False, [GROUP_NAMES[Role.FACILITY_STAFF]], [])


def test_head_office_moves_sets_password_and_deactivates_another_account(client, facility):
    officer = facility_staff(facility)
    region = FacilityFactory().region
    client.force_login(head_office_user())
    response = client.post(
        f"{ACCOUNTS}{officer.pk}/change/",
        _change_form(
            officer,
            role=Role.REGIONAL_REVIEWER,
            region=region.pk,
            password1=STRONG,
            password2=STRONG,
            is_active="",
        ),
    )
    assert response.status_code == 302
    officer = User.objects.get(pk=officer.pk)
    assert officer.check_password(STRONG) and not officer.is_active
    assert (officer.membership.role, officer.membership.region, officer.membership.facility) == (
        Role.REGIONAL_REVIEWER,
        region,
        None,
    )
    assert _rights(officer) == (False, [GROUP_NAMES[Role.REGIONAL_REVIEWER]], [])


def test_nobody_changes_their_own_account_on_the_screen(client):
    boss = head_office_user()
    client.force_login(boss)
    page = f"{ACCOUNTS}{boss.pk}/change/"
    body = client.get(page).content.decode()
    assert 'name="role"' not in body and 'name="password1"' not in body  # view only
    client.post(page, _change_form(boss, is_superuser="on", role=Role.HEAD_OFFICE))
    assert _rights(boss) == (False, [GROUP_NAMES[Role.HEAD_OFFICE]], [])
    with pytest.raises(services.AccountError, match="akun Anda sendiri"):
        services.staff_account_update(actor=boss, account=boss, is_active=False)
    with pytest.raises(services.AccountError, match="akun Anda sendiri"):
        services.staff_account_set_password(actor=boss, account=boss, password=STRONG)


def test_head_office_cannot_see_or_alter_a_superuser(client):
    root = UserFactory(is_superuser=True)
    boss = head_office_user()
    client.force_login(boss)
    assert root.username not in client.get(ACCOUNTS).content.decode()
    page = f"{ACCOUNTS}{root.pk}/change/"
    assert client.get(page).status_code == 404
    response = client.post(page, _change_form(root, password1=STRONG, password2=STRONG))
    assert response.status_code == 404
    assert not User.objects.get(pk=root.pk).check_password(STRONG)
    with pytest.raises(services.AccountError):
        services.staff_account_set_password(actor=boss, account=root, password=STRONG)
    with pytest.raises(services.AccountError):
        services.staff_account_update(actor=boss, account=root, is_active=False)
    assert User.objects.get(pk=root.pk).is_active


# --- the accounts screen: Kanwil reviewers and facility staff ----------------------


def test_reviewer_sees_only_its_regions_facility_staff(client, facility, other_facility):
    mine = facility_staff(facility)
    theirs = facility_staff(other_facility)
    colleague = regional_reviewer(facility.region)
    boss = head_office_user()
    reviewer = regional_reviewer(facility.region)
    client.force_login(reviewer)
    body = client.get(ACCOUNTS).content.decode()
    assert f"{ACCOUNTS}{mine.pk}/change/" in body
    for hidden in (theirs, colleague, boss, reviewer):
        assert f"{ACCOUNTS}{hidden.pk}/change/" not in body
    assert client.get(f"{ACCOUNTS}{theirs.pk}/change/").status_code == 404
    assert client.get(f"{ACCOUNTS}add/").status_code == 403


def test_reviewer_can_switch_off_its_regions_officer_but_nothing_else(client, facility):
    officer = facility_staff(facility)
    reviewer = regional_reviewer(facility.region)
    client.force_login(reviewer)
    page = f"{ACCOUNTS}{officer.pk}/change/"
    body = client.get(page).content.decode()
    assert 'name="is_active"' in body and 'name="role"' not in body
    # A tampered POST also trying for a new role, place and password.
    response = client.post(
        page,
        _change_form(
            officer,
            is_active="",
            role=Role.REGIONAL_REVIEWER,
            region=facility.region.pk,
            password1=STRONG,
            password2=STRONG,
            first_name="Diubah",
        ),
    )
    assert response.status_code == 302
    officer = User.objects.get(pk=officer.pk)
    assert not officer.is_active
    assert officer.membership.role == Role.FACILITY_STAFF and officer.first_name != "Diubah"
    assert not officer.check_password(STRONG)
    # Switching it back on, a new password, a new role: head office's.
    for call in (
        lambda: services.staff_account_update(actor=reviewer, account=officer, is_active=True),
        lambda: services.staff_account_set_password(
            actor=reviewer, account=officer, password=STRONG
        ),
        lambda: services.staff_account_update(
            actor=reviewer, account=officer, role=Role.REGIONAL_REVIEWER, region=facility.region
        ),
        lambda: services.staff_account_create(
            actor=reviewer,
            username="buatan.kanwil",
            password=STRONG,
            role=Role.FACILITY_STAFF,
            facility=facility,
        ),
    ):
        with pytest.raises(services.AccountError):
            call()
    assert not User.objects.get(pk=officer.pk).is_active


def test_reviewer_cannot_touch_accounts_outside_its_region(client, facility, other_facility):
    outsider = facility_staff(other_facility)
    reviewer = regional_reviewer(facility.region)
    client.force_login(reviewer)
    response = client.post(f"{ACCOUNTS}{outsider.pk}/change/", _change_form(outsider, is_active=""))
    assert response.status_code == 404
    response = client.post(
        ACCOUNTS, {"action": "deactivate_selected", "_selected_action": [outsider.pk]}
    )
    assert User.objects.get(pk=outsider.pk).is_active
    with pytest.raises(services.AccountError, match="tidak berwenang"):
        services.staff_account_update(actor=reviewer, account=outsider, is_active=False)
    assert User.objects.get(pk=outsider.pk).is_active


def test_facility_staff_manage_no_accounts(client, facility):
    colleague = facility_staff(facility)
    officer = facility_staff(facility)
    client.force_login(officer)
    assert client.get(ACCOUNTS).status_code == 403
    assert client.get(f"{ACCOUNTS}{colleague.pk}/change/").status_code == 403
    with pytest.raises(services.AccountError):
        services.staff_account_update(actor=officer, account=colleague, is_active=False)


def test_deactivate_action_for_head_office(client, facility):
    officer = facility_staff(facility)
    client.force_login(head_office_user())
    client.post(ACCOUNTS, {"action": "deactivate_selected", "_selected_action": [officer.pk]})
    assert not User.objects.get(pk=officer.pk).is_active


# --- the groups and the deploy-time clean-up ----------------------------------------


def test_no_role_carries_account_permissions():
    """Head office's group no longer holds auth.* or membership permissions."""
    for user in (head_office_user(), regional_reviewer(FacilityFactory().region)):
        for perm in ("auth.change_user", "auth.add_user", "auth.change_group"):
            assert not user.has_perm(perm)
        assert not user.has_perm("facilities.change_membership")


def test_migration_takes_away_rights_granted_beside_the_role(facility):
    """Accounts escalated before the fix lose it on deploy; superusers keep theirs."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("facilities.migrations.0005_staff_accounts")
    officer = facility_staff(facility)
    officer.user_permissions.add(_review_permission())
    officer.groups.add(Group.objects.get(name=GROUP_NAMES[Role.HEAD_OFFICE]))
    root = UserFactory(is_superuser=True)
    root.user_permissions.add(_review_permission())
    migration.rights_from_roles_only(apps, None)
    assert _rights(officer) == (False, [GROUP_NAMES[Role.FACILITY_STAFF]], [])
    assert _rights(root)[2] == ["review_product"]
