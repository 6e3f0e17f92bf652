"""The stand till's rules: stock set aside and given back, one sale per UUID
(double tap, sync replayed), offline oversell flagged, closed till refuses,
volunteer and Kanwil scope."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import Product
from core.sales_channels import channel_sales
from stand import access, selectors, services
from stand.models import DayClose, Sale, SetAside, Till
from tests.factories import FacilityFactory, ProductFactory, facility_staff, regional_reviewer
from tests.stand.conftest import sale_input

pytestmark = pytest.mark.django_db


def stock_of(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def left(till, product) -> int:
    return SetAside.objects.get(till=till, product=product).left


def test_open_sets_stock_aside_and_close_gives_the_rest_back(till, staff, songket, mukena):
    assert stock_of(songket) == 2 and stock_of(mukena) == 2  # 5-3, 4-2
    services.sale_record(till=till, sale=sale_input((songket, 1)), by=staff)
    back = services.till_close(till=till, by=staff)
    assert back == {songket.pk: 2, mukena.pk: 2}
    assert stock_of(songket) == 4 and stock_of(mukena) == 4  # one songket sold at the stand
    assert Till.objects.get(pk=till.pk).status == Till.Status.CLOSED
    assert services.till_close(till=till, by=staff) == {}  # twice: nothing more goes back
    assert stock_of(songket) == 4


def test_set_aside_never_takes_more_than_the_web_shop_has(till, staff, songket):
    with pytest.raises(services.StandError):
        services.stock_set_aside(till=till, by=staff, quantities={songket.pk: 3})  # 2 left
    assert stock_of(songket) == 2 and left(till, songket) == 3


def test_other_facility_staff_cannot_open_or_sell(event, stand_facility, till, songket):
    stranger = facility_staff(FacilityFactory())
    with pytest.raises(services.NotAllowed):
        services.till_open(exhibition=event, facility=stand_facility, by=stranger, quantities={})
    with pytest.raises(services.NotAllowed):
        services.sale_record(till=till, sale=sale_input((songket, 1)), by=stranger)
    assert selectors.till_for(stranger, till.pk) is None


def test_double_tapped_sale_is_one_sale(till, staff, songket):
    key = uuid.uuid4()
    first, created = services.sale_record(
        till=till, sale=sale_input((songket, 1), key=key), by=staff
    )
    again, created_again = services.sale_record(
        till=till, sale=sale_input((songket, 1), key=key), by=staff
    )
    assert created and not created_again and again.pk == first.pk
    assert Sale.objects.count() == 1 and left(till, songket) == 2


def test_replayed_sync_is_applied_once(till, staff, songket, mukena):
    queue = [
        {
            "uuid": str(uuid.uuid4()),
            "lines": [{"product": songket.pk, "quantity": 1}],
            "payment": "cash",
        },
        {
            "uuid": str(uuid.uuid4()),
            "lines": [{"product": mukena.pk, "quantity": 1}],
            "payment": "transfer",
        },
    ]
    first = services.sales_sync(till=till, sales=queue, by=staff)
    second = services.sales_sync(till=till, sales=queue, by=staff)
    assert [r.applied for r in first] == [True, True]
    assert [r.applied for r in second] == [False, False]
    assert Sale.objects.count() == 2
    assert left(till, songket) == 2 and left(till, mukena) == 1


def test_offline_sale_beyond_the_set_aside_is_flagged_not_oversold(till, staff, songket):
    services.sale_record(till=till, sale=sale_input((songket, 2)), by=staff)
    # Two phones sold offline; the second arrives when only one piece is left.
    [result] = services.sales_sync(
        till=till,
        sales=[
            {
                "uuid": str(uuid.uuid4()),
                "lines": [{"product": songket.pk, "quantity": 2}],
                "payment": "cash",
            }
        ],
        by=staff,
    )
    assert result.status == Sale.Status.NEEDS_CHECK
    sale = Sale.objects.get(status=Sale.Status.NEEDS_CHECK)
    assert not sale.lines.get().covered
    assert left(till, songket) == 1  # nothing taken for the uncovered line
    assert stock_of(songket) == 2  # the web shop's stock untouched
    # Online the same sale is refused at once.
    with pytest.raises(services.StandError, match="tidak cukup"):
        services.sale_record(till=till, sale=sale_input((songket, 2)), by=staff)
    # Not in the reports until a person checks it.
    day = timezone.localdate()
    rows = channel_sales(day, day)["stand"]
    assert sum(r.items for r in rows) == 2
    services.sale_resolve(sale=sale, by=staff, accept=True, note="Ada satu di kotak cadangan")
    assert stock_of(songket) == 0  # taken from the web shop's ready stock
    assert sum(r.items for r in channel_sales(day, day)["stand"]) == 4


def test_closed_till_refuses_sales_and_sync_keeps_them_flagged(till, staff, songket):
    services.till_close(till=till, by=staff)
    with pytest.raises(services.StandError, match="ditutup"):
        services.sale_record(till=till, sale=sale_input((songket, 1)), by=staff)
    [result] = services.sales_sync(
        till=till,
        sales=[
            {
                "uuid": str(uuid.uuid4()),
                "lines": [{"product": songket.pk, "quantity": 1}],
                "payment": "cash",
            }
        ],
        by=staff,
    )
    assert result.status == Sale.Status.REFUSED
    assert Sale.objects.get().status == Sale.Status.REFUSED  # kept, not lost
    assert stock_of(songket) == 5  # all back, nothing taken by the refused sale


def test_volunteer_sells_at_its_till_only_and_expires_with_the_event(
    till, staff, songket, event, stand_facility, client
):
    volunteer, username, password = services.volunteer_create(till=till, name="Rina", by=staff)
    user = volunteer.user
    assert not user.is_staff
    sale, _ = services.sale_record(till=till, sale=sale_input((songket, 1)), by=user)
    assert sale.seller == user
    # Another till of another facility at the same event.
    other = FacilityFactory()
    event.participants.add(other)
    other_staff = facility_staff(other)
    other_product = ProductFactory(facility=other, stock=3)
    other_till = services.till_open(
        exhibition=event, facility=other, by=other_staff, quantities={other_product.pk: 1}
    )
    with pytest.raises(services.NotAllowed):
        services.sale_record(till=other_till, sale=sale_input((other_product, 1)), by=user)
    with pytest.raises(services.NotAllowed):
        services.till_close(till=till, by=user)
    with pytest.raises(services.NotAllowed):
        services.volunteer_create(till=till, name="Teman", by=user)
    # Over HTTP: its till opens, the other's and the admin do not.
    assert client.login(username=username, password=password)
    assert client.get(f"/stan/kasir/{till.pk}/").status_code == 200
    assert client.get(f"/stan/kasir/{other_till.pk}/").status_code == 404
    assert client.get(f"/stan/kasir/{other_till.pk}/data.json").status_code == 404
    assert client.get(f"/stan/laporan/{event.pk}/").status_code == 404
    assert client.get("/admin/").status_code == 302  # not staff: the admin's login
    # After the event: nothing.
    volunteer.expires_at = timezone.now() - timedelta(seconds=1)
    volunteer.save()
    assert access.volunteer_of(user) is None
    with pytest.raises(services.NotAllowed):
        services.sale_record(till=till, sale=sale_input((songket, 1)), by=user)
    assert client.get(f"/stan/kasir/{till.pk}/").status_code == 404
    assert services.volunteers_expire() == 1


def test_day_close_needs_a_reason_for_a_difference(till, staff, songket, mukena):
    services.sale_record(till=till, sale=sale_input((songket, 1), cash_given=300_000), by=staff)
    services.sale_record(till=till, sale=sale_input((mukena, 1), payment="transfer"), by=staff)
    day = timezone.localdate()
    with pytest.raises(services.StandError, match="alasan"):
        services.day_close(till=till, day=day, cash_counted=240_000, reason="", by=staff)
    closing = services.day_close(
        till=till, day=day, cash_counted=240_000, reason="Kembalian salah hitung", by=staff
    )
    assert closing.cash_expected == 250_000 and closing.cash_difference == -10_000
    assert closing.transfer_expected == 175_000
    with pytest.raises(services.StandError):
        services.day_close(till=till, day=day, cash_counted=250_000, reason="", by=staff)
    assert DayClose.objects.count() == 1


def test_report_scoped_to_facility_and_its_kanwil(till, staff, songket, event, region):
    services.sale_record(till=till, sale=sale_input((songket, 2)), by=staff)
    tills = selectors.report_tills(regional_reviewer(region), event)
    report = selectors.event_report(tills)
    assert report["total"] == 500_000
    assert report["by_product"][0]["items"] == 2
    assert report["by_payment"][0]["payment"] == "cash"
    other_kanwil = regional_reviewer(FacilityFactory().region)
    assert not selectors.report_tills(other_kanwil, event).exists()
    assert not selectors.report_tills(facility_staff(FacilityFactory()), event).exists()


def test_channel_rows_by_facility_and_day(till, staff, songket, mukena):
    services.sale_record(till=till, sale=sale_input((songket, 1), (mukena, 2)), by=staff)
    day = timezone.localdate()
    [row] = channel_sales(day, day, [till.facility_id])["stand"]
    assert (row.items, row.revenue, row.day) == (3, 600_000, day)
    assert channel_sales(day, day, [FacilityFactory().pk])["stand"] == []
