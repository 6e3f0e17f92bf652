from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import ListingReview, ListingStatus, Product
from core.money import format_rupiah
from orders.models import OrderStatus, PaymentProof
from oversight.periods import month_start_at, this_month
from tests.factories import (
    FacilityFactory,
    RegionFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)
from tests.oversight.factories import CategoryFactory, ProductFactory, make_order


def _waiting(facility, name, days):
    product = ProductFactory(facility=facility, name=name, status=ListingStatus.PENDING_REVIEW)
    Product.objects.filter(pk=product.pk).update(submitted_at=timezone.now() - timedelta(days=days))
    return product


def test_staff_dashboard_shows_the_work_waiting(client, world):
    kendari, now = world["kendari"], timezone.now()
    overdue = make_order(
        kendari,
        status=OrderStatus.AWAITING_PAYMENT,
        lines=[(world["bag"], 1)],
        payment_deadline=now - timedelta(hours=2),
    )
    PaymentProof.objects.create(order=overdue, file="receipts/x.jpg", content_type="image/jpeg")
    processing = make_order(
        kendari,
        status=OrderStatus.PROCESSING,
        lines=[(world["mini"], 1)],
        created_at=now - timedelta(days=5),
    )
    # Five days ago may fall in last month early in a month.
    in_this_month = processing.created_at >= month_start_at(this_month())
    ProductFactory(facility=kendari, name="Keset Sabut Habis", stock=0)
    ProductFactory(facility=kendari, name="Pempek Menipis", stock=2)
    ProductFactory(facility=kendari, name="Jati Dipesan", stock=0, made_to_order=True)
    sent_back = ProductFactory(
        facility=kendari, name="Batik Perlu Foto", status=ListingStatus.CHANGES_REQUESTED
    )
    ListingReview.objects.create(
        product=sent_back,
        action=ListingReview.Action.REQUEST_CHANGES,
        from_status=ListingStatus.PENDING_REVIEW,
        to_status=ListingStatus.CHANGES_REQUESTED,
        note="Foto kurang terang.",
    )
    ProductFactory(facility=world["palembang"], name="Songket Habis", stock=0)

    client.force_login(facility_staff(kendari))
    response = client.get("/admin/")
    assert response.status_code == 200
    dash = response.context["kind"], response.context["needs"]
    assert dash[0] == "facility"
    assert dash[1] == {
        "receipts_to_check": 1,
        "to_pack": 1,  # k_paid
        "to_ship": 1,
        "to_hand_over": 0,
        "past_payment_deadline": 1,
        "past_promised_time": 1,  # processing for 5 days, ready stock promised in 2
    }
    assert [order.code for order in response.context["overdue"]] == [
        processing.code,
        overdue.code,
    ]
    assert 'id="overdue-orders"' in response.text
    assert response.context["stock_counts"] == {"out": 1, "low": 1}
    text = response.text
    assert "Keset Sabut Habis" in text and "Pempek Menipis" in text
    assert "Jati Dipesan" not in text and "Songket Habis" not in text
    assert "Batik Perlu Foto" in text and "Foto kurang terang." in text
    comparison = response.context["comparison"]
    extra = 350_000 if in_this_month else 0
    assert (comparison.this_orders, comparison.this_revenue) == (
        2 + bool(extra),
        725_000 + extra,
    )
    assert (comparison.last_orders, comparison.last_revenue) == (
        2 - bool(extra),
        1_050_000 + 350_000 - extra,
    )
    assert "<svg" in text and format_rupiah(725_000 + extra) in text
    # The admin's own app list is still there below the dashboard.
    assert 'id="content-main"' in text and "app-catalog" in text


def test_reviewer_dashboard_queue_oldest_first_and_region_only(client, world):
    kendari, palembang = world["kendari"], world["palembang"]
    _waiting(kendari, "Tas Baru", days=1)
    _waiting(kendari, "Kursi Lama Menunggu", days=9)
    _waiting(palembang, "Songket Menunggu", days=30)

    client.force_login(regional_reviewer(world["sultra"]))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["kind"] == "region"
    queue = response.context["queue"]
    assert [p.name for p in queue] == ["Kursi Lama Menunggu", "Tas Baru"]
    assert [p.waiting_days for p in queue] == [9, 1]
    assert response.context["queue_total"] == 2
    assert 'class="kb-oldest"' in response.text
    link = f"status__exact=pending_review&amp;facility__id__exact={kendari.pk}"
    assert link in response.text
    assert (
        client.get(
            f"/admin/catalog/product/?status__exact=pending_review&facility__id__exact={kendari.pk}"
        ).status_code
        == 200
    )
    (unit,) = response.context["units"]
    assert unit.name == "Lapas Kendari"
    assert unit.orders_30d == 2 or unit.orders_30d == 3  # last month's may be within 30 days
    assert unit.listings[ListingStatus.PENDING_REVIEW] == 2
    assert unit.listings[ListingStatus.APPROVED] == 2
    # Monthly revenue for the chart: this month's bar is Kendari's 725.000.
    assert unit.monthly[-1][1] == 725_000
    assert unit.monthly[-2][1] == 1_050_000
    text = response.text
    assert "Palembang" not in text and "Songket" not in text and "2.331.000" not in text


def test_stuck_orders_are_counted_per_facility(client, world):
    kendari, now = world["kendari"], timezone.now()
    make_order(
        kendari,
        status=OrderStatus.PAID,
        lines=[(world["bag"], 1)],
        created_at=now - timedelta(days=6),
        status_since=now - timedelta(days=5),
    )
    make_order(  # paid an hour ago: not stuck
        kendari,
        status=OrderStatus.PAID,
        lines=[(world["bag"], 1)],
        created_at=now - timedelta(days=6),
        status_since=now - timedelta(hours=1),
    )
    make_order(
        kendari,
        status=OrderStatus.SHIPPED,
        lines=[(world["bag"], 1)],
        created_at=now - timedelta(days=20),
    )
    make_order(
        world["palembang"],
        status=OrderStatus.PROCESSING,
        lines=[(world["songket"], 1)],
        created_at=now - timedelta(days=30),
    )
    made_to_order = ProductFactory(
        facility=kendari, name="Lemari Jati", made_to_order=True, lead_time_days=30
    )
    make_order(  # 10 days in processing, promised in 30: not stuck yet
        kendari,
        status=OrderStatus.PROCESSING,
        lines=[(made_to_order, 1)],
        created_at=now - timedelta(days=10),
    )
    make_order(  # 10 days in processing, ready stock promised in 2: stuck
        kendari,
        status=OrderStatus.PROCESSING,
        lines=[(world["bag"], 1)],
        created_at=now - timedelta(days=10),
    )
    client.force_login(regional_reviewer(world["sultra"]))
    (unit,) = client.get("/admin/").context["units"]
    # Paid 5 days, shipped 20 days, the processing bag, and the world's order
    # shipped early last month (28+ days ago).
    assert unit.stuck == 4


def test_head_office_sees_every_region_and_the_best_sellers(client, world):
    client.force_login(head_office_user())
    response = client.get("/admin/")
    assert response.context["kind"] == "national"
    units = {unit.name: unit for unit in response.context["units"]}
    assert set(units) == {"Kanwil Sulawesi Tenggara", "Kanwil Sumatera Selatan"}
    assert units["Kanwil Sumatera Selatan"].monthly[-1][1] == 2_331_000
    assert units["Kanwil Sulawesi Tenggara"].monthly[-1][1] == 725_000
    top = response.context["top_products"]
    assert [row["product__name"] for row in top] == [
        "Songket Palembang",
        "Miniatur Kapal Jati",
        "Tas Rajut Kendari",
    ]
    assert [(row["items"], row["revenue"]) for row in top] == [
        (3, 2_331_000),
        (4, 1_400_000),
        (3, 375_000),
    ]
    categories = response.context["top_categories"]
    assert categories[0]["name"] == world["songket"].category.name_id
    assert [row["revenue"] for row in categories] == [2_331_000, 1_400_000, 375_000]


@pytest.fixture
def big_region(db):
    def make(facility_count):
        region = RegionFactory()
        category = CategoryFactory()
        now = timezone.now()
        for index in range(facility_count):
            facility = FacilityFactory(region=region)
            product = ProductFactory(facility=facility, category=category, stock=index % 3)
            _waiting(facility, f"Menunggu {index}", days=index)
            for days in (1, 20, 45):
                make_order(facility, lines=[(product, 2)], created_at=now - timedelta(days=days))
            make_order(
                facility,
                status=OrderStatus.PAID,
                lines=[(product, 1)],
                created_at=now - timedelta(days=4),
            )
        return region

    return make


INBOX = 4
# The Kanwil's and head office's on-time figures (oversight.timeliness): the
# units and one grouped query per kind of work.
TIMELINESS = 5


@pytest.mark.parametrize("facility_count", [2, 12])
def test_dashboard_query_counts_do_not_grow(
    client, big_region, facility_count, django_assert_max_num_queries
):
    region = big_region(facility_count)
    client.force_login(regional_reviewer(region))
    # Each budget includes reading the session row: sessions live in the
    # database, where every gunicorn worker reads the same one. Kanwil and
    # head office: +3 for the complaints panel (counts, per facility, refunds)
    # and +2 for the review figures (oversight.review_figures). Everyone: +2
    # for the receivables panel (figures, overdue list). Everyone: the inbox
    # on top (facilities.inbox): +1 for its counts, +1 per kind of work there
    # (paid orders, listings waiting), +1 for the facilities with late work.
    with django_assert_max_num_queries(20 + INBOX + TIMELINESS):
        response = client.get("/admin/")
    assert len(response.context["units"]) == facility_count

    client.force_login(head_office_user())
    with django_assert_max_num_queries(23 + INBOX + TIMELINESS):
        response = client.get("/admin/")
    assert response.context["kind"] == "national"

    client.force_login(facility_staff(region.facilities.first()))
    with django_assert_max_num_queries(17 + INBOX):
        response = client.get("/admin/")
    assert response.context["kind"] == "facility"


def test_top_categories_roll_subcategories_up_to_their_parent(client, world):
    crafts = CategoryFactory(name_id="Kerajinan Tangan", slug="kerajinan-tangan-o")
    for child_name, product in [("Tas", world["bag"]), ("Miniatur", world["mini"])]:
        child = CategoryFactory(name_id=child_name, slug=f"{child_name.lower()}-o", parent=crafts)
        Product.objects.filter(pk=product.pk).update(category=child)
    client.force_login(head_office_user())
    categories = client.get("/admin/").context["top_categories"]
    assert [(row["name"], row["revenue"]) for row in categories] == [
        (world["songket"].category.name_id, 2_331_000),
        ("Kerajinan Tangan", 1_400_000 + 375_000),
    ]


def test_this_month_is_compared_with_last_month_up_to_the_same_day(db):
    from facilities.scoping import scope_for
    from oversight import selectors
    from oversight.periods import add_months

    facility = FacilityFactory()
    product = ProductFactory(facility=facility, price=100_000)
    now = timezone.now()
    this_start = month_start_at(this_month())
    last_start = month_start_at(add_months(this_month(), -1))
    same_point = last_start + (now - this_start)
    make_order(
        facility, lines=[(product, 1)], created_at=max(last_start, same_point - timedelta(hours=1))
    )
    later = same_point + timedelta(hours=1)
    later_counts_last_month = later < this_start
    if later_counts_last_month:
        make_order(facility, lines=[(product, 2)], created_at=later)
    make_order(
        facility, lines=[(product, 3)], created_at=max(this_start, now - timedelta(minutes=1))
    )

    comparison = selectors.sales_this_month_vs_last(scope_for(facility_staff(facility)))
    assert comparison.this_revenue == 300_000
    assert comparison.last_to_date_revenue == 100_000
    assert comparison.last_revenue == (300_000 if later_counts_last_month else 100_000)
    assert comparison.change_percent == 200
