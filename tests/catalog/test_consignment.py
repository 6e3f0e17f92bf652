"""Consignment stock at partner outlets: handed-over goods leave the web
shop's stock, sales reported by the outlet never exceed what it holds, the
counts reconcile with the movements, and the scope holds."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from catalog import services
from catalog.models import ConsignmentMovement, OutletProduct
from tests.factories import (
    PartnerOutletFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(db):
    facility = shop()
    outlet = PartnerOutletFactory(facility=facility, name="Toko Acun Akuarium")
    product = ProductFactory(facility=facility, name="Perangkap Tikus", price=85_000, stock=10)
    return OutletProduct.objects.create(outlet=outlet, product=product)


def staff(link):
    return facility_staff(link.outlet.facility)


def test_hand_over_moves_stock_from_the_shop_to_the_outlet(link):
    services.consignment_hand_over(link=link, quantity=6, actor=staff(link))
    link.refresh_from_db()
    link.product.refresh_from_db()
    assert link.product.stock == 4 and link.on_hand == 6


def test_handed_over_goods_cannot_be_sold_online_too(link):
    services.consignment_hand_over(link=link, quantity=8, actor=staff(link))
    from orders.services import OrderError

    with pytest.raises(OrderError):
        place([(link.product, 3)])
    result = place([(link.product, 2)])
    assert result.orders
    link.product.refresh_from_db()
    assert link.product.stock == 0


def test_hand_over_more_than_ready_stock_is_refused(link):
    with pytest.raises(services.ConsignmentError, match="Stok siap"):
        services.consignment_hand_over(link=link, quantity=11, actor=staff(link))
    link.refresh_from_db()
    assert link.on_hand == 0 and not ConsignmentMovement.objects.exists()


def test_outlet_cannot_report_more_sold_than_it_holds(link):
    actor = staff(link)
    services.consignment_hand_over(link=link, quantity=3, actor=actor)
    with pytest.raises(services.ConsignmentError, match="hanya memegang 3"):
        services.consignment_report_sold(link=link, quantity=4, actor=actor)
    with pytest.raises(services.ConsignmentError):
        services.consignment_return(link=link, quantity=4, actor=actor)
    with pytest.raises(services.ConsignmentError):
        services.consignment_report_sold(link=link, quantity=0, actor=actor)
    link.refresh_from_db()
    assert link.on_hand == 3 and link.sold == 0


def test_counts_reconcile_with_movements_and_stock(link):
    actor = staff(link)
    services.consignment_hand_over(link=link, quantity=7, actor=actor)
    services.consignment_report_sold(link=link, quantity=4, actor=actor, unit_price=90_000)
    services.consignment_return(link=link, quantity=2, actor=actor)
    link.refresh_from_db()
    link.product.refresh_from_db()
    totals = dict(
        ConsignmentMovement.objects.filter(link=link)
        .values_list("kind")
        .annotate(n=Sum("quantity"))
    )
    assert totals == {"handover": 7, "sold": 4, "returned": 2}
    assert link.on_hand == totals["handover"] - totals["sold"] - totals["returned"] == 1
    assert link.sold == 4
    # Every piece is somewhere: the shop, the outlet, or sold there.
    assert link.product.stock + link.on_hand + link.sold == 10
    sale = ConsignmentMovement.objects.get(kind="sold")
    assert sale.unit_price == 90_000 and sale.actor == actor


def test_reported_sale_defaults_to_the_web_price(link):
    services.consignment_hand_over(link=link, quantity=1, actor=None)
    sale = services.consignment_report_sold(link=link, quantity=1, actor=None)
    assert sale.unit_price == 85_000


def test_other_facilitys_staff_and_reviewers_cannot_move_consignment(link):
    other = shop()
    with pytest.raises(services.ConsignmentError, match="tidak berwenang"):
        services.consignment_hand_over(link=link, quantity=1, actor=facility_staff(other))
    with pytest.raises(services.ConsignmentError):
        services.consignment_hand_over(
            link=link, quantity=1, actor=regional_reviewer(link.outlet.facility.region)
        )
    services.consignment_hand_over(link=link, quantity=1, actor=head_office_user())
    link.refresh_from_db()
    assert link.on_hand == 1


def _movement_post(link, kind, quantity):
    return {
        "link": str(link.pk),
        "kind": kind,
        "quantity": str(quantity),
        "unit_price": "",
        "occurred_on": timezone.localdate().isoformat(),
        "note": "",
    }


def test_admin_records_a_hand_over_through_the_service(client, link):
    client.force_login(staff(link))
    response = client.post(
        "/admin/catalog/consignmentmovement/add/", _movement_post(link, "handover", 4)
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    link.refresh_from_db()
    assert link.on_hand == 4 and ConsignmentMovement.objects.count() == 1


def test_admin_shows_a_clear_message_for_an_oversold_report(client, link):
    client.force_login(staff(link))
    response = client.post(
        "/admin/catalog/consignmentmovement/add/", _movement_post(link, "sold", 2)
    )
    assert response.status_code == 200
    assert "hanya memegang 0" in response.content.decode()
    assert not ConsignmentMovement.objects.exists()


def test_admin_refuses_another_facilitys_outlet_product(client, link):
    client.force_login(facility_staff(shop()))
    response = client.post(
        "/admin/catalog/consignmentmovement/add/", _movement_post(link, "handover", 1)
    )
    assert response.status_code == 200  # not a valid choice for this user
    link.refresh_from_db()
    assert link.on_hand == 0
    services.consignment_hand_over(link=link, quantity=1, actor=None)
    body = client.get("/admin/catalog/consignmentmovement/").content.decode()
    assert "Perangkap Tikus" not in body


def test_outlet_list_shows_consignment_totals(client, link):
    services.consignment_hand_over(link=link, quantity=5, actor=None)
    services.consignment_report_sold(link=link, quantity=3, actor=None)
    client.force_login(staff(link))
    body = client.get("/admin/facilities/partneroutlet/").content.decode()
    assert 'class="field-held">2<' in body and 'class="field-sold">3<' in body


def test_validating_the_admin_form_writes_nothing(link):
    # The form only validates (catalog.services.consignment_problem); the row
    # and the stock move when the admin saves, through the service.
    from catalog.admin_channels import ConsignmentMovementForm

    form = ConsignmentMovementForm(_movement_post(link, "handover", 4), actor=staff(link))
    assert form.is_valid(), form.errors
    link.refresh_from_db()
    link.product.refresh_from_db()
    assert not ConsignmentMovement.objects.exists()
    assert link.on_hand == 0 and link.product.stock == 10
    short = ConsignmentMovementForm(_movement_post(link, "handover", 11), actor=staff(link))
    assert not short.is_valid()
    assert "tinggal 10" in " ".join(short.non_field_errors())


def test_admin_form_refuses_another_facilitys_staff(link):
    from catalog.admin_channels import ConsignmentMovementForm

    outsider = facility_staff(shop())
    form = ConsignmentMovementForm(_movement_post(link, "handover", 1), actor=outsider)
    assert not form.is_valid()
    assert "tidak berwenang" in " ".join(form.non_field_errors())


def test_stock_gone_between_validating_and_saving_is_refused_cleanly(client, link, monkeypatch):
    # Another movement took the stock after the form was validated: the
    # service refuses under its locks, nothing is written, the admin says why.
    monkeypatch.setattr(services, "consignment_problem", lambda **kwargs: None)
    client.force_login(staff(link))
    response = client.post(
        "/admin/catalog/consignmentmovement/add/", _movement_post(link, "sold", 2), follow=True
    )
    assert response.status_code == 200
    assert "hanya memegang 0" in response.content.decode()
    assert not ConsignmentMovement.objects.exists()
