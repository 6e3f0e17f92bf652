"""Registering a client's business, visits, the end of supervision both ways,
the client's export and deletion (bapas.services)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from bapas import services
from bapas.models import Enterprise, EnterpriseEvent
from bapas.selectors import bapas_scope_for, storefront_mark
from catalog.models import Product
from facilities.models import BankAccount, Facility, Membership
from orders.models import DeliverySettings, OrderStatus
from tests.bapas.conftest import register
from tests.factories import ProductFactory, head_office_user, make_order

pytestmark = pytest.mark.django_db


def test_registering_makes_the_shop_its_account_and_the_clients_login(officer, bapas_baubau, media):
    from tests.factories import ShippingRateFactory

    ShippingRateFactory(facility=bapas_baubau, province="Sulawesi Tenggara")
    enterprise = register(officer)
    facility = enterprise.facility
    # The Bapas's courier rates, copied: the same town prices the same.
    assert list(facility.shipping_rates.values_list("province", flat=True)) == ["Sulawesi Tenggara"]
    assert facility.kind == Facility.Kind.ENTERPRISE and facility.is_enterprise
    assert facility.region == bapas_baubau.region and facility.city == "Baubau"
    # Only the town shows when the client gave no shop address.
    assert facility.address == "Baubau"
    bank = BankAccount.objects.get(facility=facility)
    assert bank.account_holder == "Wa Ode Sitti" and bank.account_number == "123-456-7890"
    settings = DeliverySettings.objects.get(facility=facility)
    assert settings.courier_enabled and not settings.pickup_enabled
    membership = Membership.objects.get(facility=facility)
    assert membership.role == Membership.Role.FACILITY_STAFF
    assert membership.user.username == "usaha-wolio" and membership.user.check_password(
        "tenun-butonik-2026"
    )
    assert enterprise.bapas == bapas_baubau and enterprise.consent_form.name.startswith(
        "private/bapas-consent/"
    )
    assert enterprise.status == Enterprise.Status.SUPERVISED
    assert not enterprise.show_client_name and not enterprise.story_shared
    assert enterprise.events.filter(kind=EnterpriseEvent.Kind.REGISTERED).exists()


@pytest.mark.parametrize("who", ["lapas", "kanwil", "head_office", "client"])
def test_only_a_bapas_officer_registers(who, media, lapas_baubau, kanwil, enterprise, client_user):
    from tests.factories import facility_staff

    actor = {
        "lapas": lambda: facility_staff(lapas_baubau),
        "kanwil": lambda: kanwil,
        "head_office": head_office_user,
        "client": lambda: client_user,
    }[who]()
    with pytest.raises(services.EnterpriseError, match="Hanya petugas Bapas"):
        register(actor, shop_name="Batik Lain", username="lain")
    assert Enterprise.objects.count() == 1


def test_a_shop_name_may_not_name_a_client_who_chose_not_to_be_named(officer, media):
    with pytest.raises(services.EnterpriseError, match="memuat nama klien"):
        register(officer, shop_name="Tas Wa Ode Sitti")
    enterprise = register(officer, shop_name="Tas Wa Ode Sitti", show_client_name=True)
    assert enterprise.show_client_name


def test_no_story_without_the_clients_yes(officer, media):
    with pytest.raises(services.EnterpriseError, match="Kisah usaha"):
        register(officer, story="Saya belajar menenun di lapas.")
    assert not Facility.objects.filter(kind=Facility.Kind.ENTERPRISE).exists()


def test_a_refused_registration_leaves_nothing_behind(officer, media):
    get_user_model().objects.create(username="usaha-wolio")
    with pytest.raises(services.EnterpriseError, match="sudah dipakai"):
        register(officer)
    assert not Facility.objects.filter(kind=Facility.Kind.ENTERPRISE).exists()
    assert not BankAccount.objects.filter(account_holder="Wa Ode Sitti").exists()


def test_the_consent_form_must_be_a_photo_or_pdf(officer, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(services.EnterpriseError, match="foto atau PDF"):
        register(officer, consent_form=SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 50))


def test_visits_are_recorded_by_the_mentoring_bapas_only(
    enterprise, officer, other_officer, client_user
):
    visit = services.enterprise_visit_record(
        actor=officer,
        enterprise=enterprise,
        visited_on=date(2026, 12, 1),
        topic="Harga dan ongkos kirim",
        notes="Foto produk sudah terang.",
        next_step="Tambah dua motif baru",
    )
    assert list(enterprise.visits.all()) == [visit]
    for actor in (other_officer, client_user):
        with pytest.raises(services.EnterpriseError):
            services.enterprise_visit_record(
                actor=actor, enterprise=enterprise, visited_on=date(2026, 12, 1), topic="x"
            )


def test_the_mark_with_and_without_the_clients_name(officer, media):
    plain = register(officer)
    mark = storefront_mark(plain.facility)
    assert mark["shows_mark"] and mark["bapas_name"] == "Bapas Baubau"
    assert mark["client_name"] == "" and mark["story"] == ""
    named = register(
        officer,
        shop_name="Batik Sitti",
        client_name="Sitti Aisyah",
        show_client_name=True,
        username="usaha-sitti",
    )
    assert storefront_mark(named.facility)["client_name"] == "Sitti Aisyah"


def _end(enterprise, officer):
    return services.enterprise_supervision_end(actor=officer, enterprise=enterprise)


def test_end_then_continue_without_the_mark(enterprise, officer, client_user):
    product = ProductFactory(facility=enterprise.facility)
    with pytest.raises(services.EnterpriseError, match="setelah masa pembinaan"):
        services.enterprise_decide(actor=client_user, enterprise=enterprise, decision="continue")
    with pytest.raises(services.EnterpriseError):
        _end(enterprise, client_user)  # the client does not end their own supervision
    _end(enterprise, officer)
    _end(enterprise, officer)  # a second click changes nothing
    assert enterprise.events.filter(kind=EnterpriseEvent.Kind.ENDED).count() == 1
    with pytest.raises(services.EnterpriseError, match="klien pemilik"):
        services.enterprise_decide(actor=officer, enterprise=enterprise, decision="continue")
    services.enterprise_decide(
        actor=client_user, enterprise=enterprise, decision="continue", keep_mark=False
    )
    enterprise.refresh_from_db()
    assert enterprise.decision == "continue" and not enterprise.shows_bapas_mark
    assert Product.objects.public().filter(pk=product.pk).exists()  # still listed
    assert storefront_mark(enterprise.facility) is None


def test_end_then_leave_hides_products_and_keeps_running_orders(enterprise, officer, client_user):
    product = ProductFactory(facility=enterprise.facility)
    running = make_order(enterprise.facility, status=OrderStatus.PAID, lines=[(product, 1)])
    _end(enterprise, officer)
    services.enterprise_decide(actor=client_user, enterprise=enterprise, decision="leave")
    enterprise.refresh_from_db()
    assert enterprise.is_leaving and not enterprise.facility.is_active
    assert not Product.objects.public().filter(pk=product.pk).exists()
    # The running order is still the client's to finish, and holds the deletion.
    with pytest.raises(services.EnterpriseHeld, match="masih berjalan"):
        services.enterprise_erase(actor=client_user, enterprise=enterprise)
    with pytest.raises(services.EnterpriseError, match="sudah berhenti"):
        services.enterprise_decide(actor=client_user, enterprise=enterprise, decision="continue")
    running.status = OrderStatus.COMPLETED
    running.save(update_fields=["status"])
    services.enterprise_erase(actor=client_user, enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.is_erased and enterprise.client_name == "(dihapus)"
    assert not enterprise.consent_form and not enterprise.visits.exists()
    # Kept for the books: the order and its amounts.
    running.refresh_from_db()
    assert running.total > 0
    bank = BankAccount.objects.get(facility=enterprise.facility)
    assert bank.account_holder == "(dihapus)" and bank.account_number == "****7890"
    client_user.refresh_from_db()
    assert not client_user.is_active and client_user.first_name == ""
    assert storefront_mark(enterprise.facility) is None


def test_deletion_waits_for_leaving(enterprise, client_user):
    with pytest.raises(services.EnterpriseError, match="berhenti berjualan"):
        services.enterprise_erase(actor=client_user, enterprise=enterprise)


def test_the_client_exports_their_data(enterprise, officer, client_user):
    bag = ProductFactory(facility=enterprise.facility, name="Tas Butonik Kecil")
    make_order(enterprise.facility, status=OrderStatus.COMPLETED, lines=[(bag, 2)])
    services.enterprise_visit_record(
        actor=officer, enterprise=enterprise, visited_on=date(2026, 12, 1), topic="Kemasan"
    )
    with pytest.raises(services.EnterpriseError):
        services.enterprise_export(actor=officer, enterprise=enterprise)
    data = services.enterprise_export(actor=client_user, enterprise=enterprise)
    assert data["usaha"]["nama_toko"] == "Tas Butonik Wolio"
    assert [p["nama"] for p in data["produk"]] == ["Tas Butonik Kecil"]
    assert len(data["pesanan"]) == 1 and "nama" not in data["pesanan"][0]
    assert data["penjualan_per_bulan"][0]["pesanan"] == 1
    assert data["kunjungan"][0]["topik"] == "Kemasan"
    assert enterprise.events.filter(kind=EnterpriseEvent.Kind.EXPORTED).exists()


def test_scopes(enterprise, officer, other_officer, client_user, kanwil, lapas_baubau):
    from tests.factories import facility_staff

    assert bapas_scope_for(officer).mentors(enterprise)
    assert bapas_scope_for(client_user).owns(enterprise)
    assert not bapas_scope_for(other_officer).may_see(enterprise)
    assert not bapas_scope_for(kanwil).sees_any
    assert not bapas_scope_for(facility_staff(lapas_baubau)).sees_any
    assert bapas_scope_for(head_office_user()).may_see(enterprise)


def test_a_double_submitted_registration_makes_one_business(officer, media):
    register(officer)
    with pytest.raises(services.EnterpriseError, match="sudah dipakai"):
        register(officer)
    assert Enterprise.objects.count() == 1
    assert Facility.objects.filter(kind=Facility.Kind.ENTERPRISE).count() == 1


def test_deletion_waits_for_money_still_owed_to_the_business(enterprise, officer, client_user):
    from orders.payments.services.settlement import settlement_owe, settlement_pay_out
    from tests.orders.gateway_helpers import online_checkout

    bag = ProductFactory(facility=enterprise.facility, price=150_000, stock=3)
    from tests.factories import JAKARTA, load_test_regions

    load_test_regions()
    result, payment = online_checkout([(bag, 1)], delivery="courier", address=JAKARTA)
    order = result.orders[0]
    entry = settlement_owe(order=order, payment=payment)
    order.status = OrderStatus.COMPLETED
    order.save(update_fields=["status"])
    services.enterprise_supervision_end(actor=officer, enterprise=enterprise)
    services.enterprise_decide(actor=client_user, enterprise=enterprise, decision="leave")
    with pytest.raises(services.EnterpriseHeld, match="belum ditransfer"):
        services.enterprise_erase(actor=client_user, enterprise=enterprise)
    settlement_pay_out(entries=[entry], actor=head_office_user(), reference="TRF-1")
    services.enterprise_erase(actor=client_user, enterprise=enterprise)
    entry.refresh_from_db()
    # The ledger row stays for the books, with its amount and reference.
    assert entry.amount == order.total and entry.payout_reference == "TRF-1"
