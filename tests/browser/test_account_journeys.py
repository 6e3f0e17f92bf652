"""Staff accounts in a real browser: head office opens "Akun petugas", gives a
new officer a role and a facility, the officer signs in and sees their
facility's desk (and no accounts screen), and head office switches the
account off again."""

import pytest
from django.contrib.auth.models import User

from facilities.models import Membership
from tests.browser.test_order_journeys import _admin_login
from tests.factories import FacilityFactory, RegionFactory, head_office_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Bambu-Kendari-2026!"


@pytest.fixture
def setting(transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    region = RegionFactory(name="Kanwil Sulawesi Tenggara", slug="kanwil-sultra-akun")
    kendari = FacilityFactory(region=region, name="Lapas Kendari Akun", slug="lapas-kendari-akun")
    return {"facility": kendari, "boss": head_office_user()}


def test_head_office_creates_an_officer_who_signs_in(journey, setting, size):
    page = journey.page
    _admin_login(journey, setting["boss"].username)
    assert "Akun petugas" in page.content()
    assert "/admin/auth/user/" not in page.content()

    journey.visit("/admin/facilities/staffaccount/add/", "add account")
    username = f"rina.{size}"
    page.fill("#id_username", username)
    page.fill("#id_first_name", "Rina")
    page.fill("#id_last_name", "Wati")
    page.select_option("#id_role", Membership.Role.FACILITY_STAFF)
    page.select_option("#id_facility", str(setting["facility"].pk))
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.locator("input[name=_save]").click()
    page.wait_for_load_state("load")
    journey.check("account saved")
    account = User.objects.get(username=username)
    assert account.membership.facility == setting["facility"]
    assert username in page.content() and "Petugas UPT" in page.content()

    # The officer signs in: their facility's work, no accounts screen.
    page.context.clear_cookies()
    _admin_login(journey, username, PASSWORD)
    assert "Akun petugas" not in page.content()
    assert "/admin/catalog/product/" in page.content()  # their desk

    # Head office switches the account off.
    page.context.clear_cookies()
    _admin_login(journey, setting["boss"].username)
    journey.visit(f"/admin/facilities/staffaccount/{account.pk}/change/", "account page")
    page.uncheck("#id_is_active")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state("load")
    journey.check("account switched off")
    account.refresh_from_db()
    assert not account.is_active
