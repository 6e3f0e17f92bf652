"""The demo's partners: Toko Acun Akuarium's login and a payment waiting,
Rumah Kemasan Banjarmasin with a request and a proposal; twice is once, and
no login at all outside development."""

from django.core.management import call_command

from partners.models import OutletPayment, PackagingProposal, PackagingRequest, PartnerAccount
from seeds.accounts import DEMO_PASSWORD
from seeds.partners import HOUSE_LOGIN, OUTLET_LOGIN


def test_partner_seeds_load_once_with_logins_in_development(db, settings, client):
    settings.DEBUG = True
    call_command("load_seeds")
    call_command("load_seeds")
    assert PartnerAccount.objects.count() == 2
    assert PackagingRequest.objects.count() == 1 and PackagingProposal.objects.count() == 1
    assert OutletPayment.objects.filter(status="reported").count() == 1
    client.post("/mitra/masuk/", {"username": OUTLET_LOGIN, "password": DEMO_PASSWORD})
    body = client.get("/mitra/").content.decode()
    assert "Toko Acun Akuarium" in body and "Perangkap Tikus" in body
    client.post("/mitra/keluar/")
    client.post("/mitra/masuk/", {"username": HOUSE_LOGIN, "password": DEMO_PASSWORD})
    assert "Amplang" in client.get("/mitra/").content.decode()


def test_no_partner_login_is_seeded_in_production(db, settings):
    settings.DEBUG = False
    call_command("load_seeds")
    assert not PartnerAccount.objects.exists()
    assert PackagingRequest.objects.count() == 1  # the request, without an answer
