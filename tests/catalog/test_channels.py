"""Partner outlets ("also available at") and exhibitions: visibility by dates,
the pages that show them, their query budgets, the admin's scope, the seeds."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import ExhibitionProduct, ListingStatus, OutletProduct
from facilities.models import Exhibition, PartnerOutlet
from tests.catalog.factories import ProductFactory, ProductImageFactory
from tests.factories import (
    FacilityFactory,
    PartnerOutletFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_outlet(facility, *, start=-30, end=30, **kwargs):
    return PartnerOutletFactory(
        facility=facility,
        directions="Dekat Pasar Pagi",
        agreement_start=TODAY + timedelta(days=start),
        agreement_end=None if end is None else TODAY + timedelta(days=end),
        **kwargs,
    )


def make_event(facility, *, start=7, days=2, **kwargs):
    kwargs.setdefault("title", f"Bazar Uji {Exhibition.objects.count()}")
    return Exhibition.objects.create(
        facility=facility,
        place="Taman Kambang Iwak",
        city="Palembang",
        province=kwargs.pop("province", "Sumatera Selatan"),
        starts_on=TODAY + timedelta(days=start),
        ends_on=TODAY + timedelta(days=start + days),
        **kwargs,
    )


# --- outlets -------------------------------------------------------------------


def test_an_outlet_is_current_only_within_its_agreement(facility):
    current = make_outlet(facility)
    open_ended = make_outlet(facility, end=None)
    ended = make_outlet(facility, start=-60, end=-1)
    future = make_outlet(facility, start=3, end=90)
    inactive = make_outlet(facility, is_active=False)
    ends_today = make_outlet(facility, start=-5, end=0)
    found = set(PartnerOutlet.objects.current())
    assert found == {current, open_ended, ends_today}
    assert not {ended, future, inactive} & found
    # Tomorrow, the one ending today is gone with no job having run.
    tomorrow = set(PartnerOutlet.objects.current(TODAY + timedelta(days=1)))
    assert ends_today not in tomorrow and current in tomorrow


def test_agreement_end_before_start_is_refused(facility):
    with pytest.raises(IntegrityError):
        make_outlet(facility, start=0, end=-1)


def test_product_page_shows_current_outlets_only(client, facility):
    product = ProductFactory(facility=facility)
    shown = make_outlet(facility, name="Toko Acun Akuarium")
    ended = make_outlet(facility, name="Koperasi Lama", start=-90, end=-1)
    not_carrying = make_outlet(facility, name="Galeri Lain")
    OutletProduct.objects.create(outlet=shown, product=product)
    OutletProduct.objects.create(outlet=ended, product=product)
    body = client.get(product.get_absolute_url()).content.decode()
    assert "Juga tersedia di" in body
    assert "Toko Acun Akuarium" in body and "Dekat Pasar Pagi" in body
    assert "Koperasi Lama" not in body and not_carrying.name not in body


def test_product_page_without_outlets_has_no_block(client, facility):
    product = ProductFactory(facility=facility)
    assert "Juga tersedia di" not in client.get(product.get_absolute_url()).content.decode()


def test_storefront_lists_the_facilitys_current_outlets(client, facility):
    make_outlet(facility, name="Toko Acun Akuarium")
    make_outlet(facility, name="Koperasi Lama", start=-90, end=-1)
    make_outlet(FacilityFactory(), name="Toko Orang Lain")
    body = client.get(facility.get_absolute_url()).content.decode()
    assert "Toko Acun Akuarium" in body
    assert "Koperasi Lama" not in body and "Toko Orang Lain" not in body


def test_outlet_product_must_be_the_outlets_facilitys(facility, other_facility):
    from django.core.exceptions import ValidationError

    link = OutletProduct(
        outlet=make_outlet(facility), product=ProductFactory(facility=other_facility)
    )
    with pytest.raises(ValidationError):
        link.full_clean()


# --- exhibitions ---------------------------------------------------------------


def test_events_page_lists_upcoming_by_province(client, facility):
    palembang = make_event(facility, title="Bazar Kambang Iwak", province="Sumatera Selatan")
    running = make_event(facility, title="Pameran Berjalan", start=-1, days=3)
    make_event(facility, title="Pameran Kemarin", start=-5, days=4)
    make_event(facility, title="Pameran Draf", is_published=False)
    make_event(facility, title="Expo Kendari", province="Sulawesi Tenggara")
    product = ProductFactory(facility=facility, name="Songket Lepus")
    hidden = ProductFactory(facility=facility, status=ListingStatus.DRAFT, name="Draf Rahasia")
    ExhibitionProduct.objects.create(exhibition=palembang, product=product)
    ExhibitionProduct.objects.create(exhibition=palembang, product=hidden)
    palembang.participants.add(facility)
    body = client.get("/pameran/").content.decode()
    assert "Bazar Kambang Iwak" in body and "Pameran Berjalan" in body
    assert "Pameran Kemarin" not in body and "Pameran Draf" not in body
    assert "Songket Lepus" in body and "Draf Rahasia" not in body
    assert facility.name in body
    assert running.title in body


def test_events_page_groups_by_province_in_order(client, facility):
    make_event(facility, title="Expo Kendari", province="Sulawesi Tenggara")
    make_event(facility, title="Bazar Palembang", province="Sumatera Selatan")
    body = client.get("/pameran/").content.decode()
    assert body.index("<h2>Sulawesi Tenggara</h2>") < body.index("Expo Kendari")
    assert body.index("Expo Kendari") < body.index("<h2>Sumatera Selatan</h2>")


def test_events_page_query_count_does_not_grow(client, facility):
    counts = {}
    for size in (2, 10):
        while Exhibition.objects.count() < size:
            event = make_event(facility)
            event.participants.add(facility, FacilityFactory())
            ExhibitionProduct.objects.create(exhibition=event, product=ProductFactory())
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/pameran/")
        assert response.content.decode().count('class="card exhibition"') == size
        counts[size] = len(ctx.captured_queries)
    assert counts[2] == counts[10] <= 5, counts


def test_storefront_shows_the_next_event_organised_or_joined(client, facility):
    host = FacilityFactory()
    make_event(facility, title="Pameran Lewat", start=-10, days=1)
    make_event(host, title="Bazar Bersama", start=20).participants.add(facility)
    make_event(facility, title="Bazar Sendiri", start=40)
    body = client.get(facility.get_absolute_url()).content.decode()
    assert "Pameran berikutnya" in body
    assert "Bazar Bersama" in body and "Bazar Sendiri" not in body
    assert "Pameran Lewat" not in body


def test_storefront_and_product_page_budgets_hold_with_outlets_and_events(client, facility):
    """The blocks add a fixed number of queries, the same at any count."""
    counts = {}
    product = ProductFactory(facility=facility)
    ProductImageFactory(product=product)
    for size in (1, 6):
        while PartnerOutlet.objects.filter(facility=facility).count() < size:
            outlet = make_outlet(facility)
            OutletProduct.objects.create(outlet=outlet, product=product)
            make_event(facility).participants.add(facility)
        for url in (facility.get_absolute_url(), product.get_absolute_url()):
            # Both sizes built from an empty cache: the outlets' and events'
            # writes retire these pages but not the shared filter lists.
            cache.clear()
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts[(url, size)] = len(ctx.captured_queries)
    for url in (facility.get_absolute_url(), product.get_absolute_url()):
        assert counts[(url, 1)] == counts[(url, 6)] <= 10, counts


# --- the admin's scope -----------------------------------------------------------


def test_staff_see_and_open_only_their_outlets(client, facility, other_facility):
    own = make_outlet(facility, name="Toko Sendiri")
    other = make_outlet(other_facility, name="Toko Tetangga")
    client.force_login(facility_staff(facility))
    body = client.get("/admin/facilities/partneroutlet/").content.decode()
    assert "Toko Sendiri" in body and "Toko Tetangga" not in body
    assert client.get(f"/admin/facilities/partneroutlet/{own.pk}/change/").status_code == 200
    assert client.get(f"/admin/facilities/partneroutlet/{other.pk}/change/").status_code == 404


def _outlet_post(product_id, **extra):
    return {
        "name": "Koperasi Baru",
        "kind": "cooperative",
        "address": "Jl. Merdeka 1",
        "city": "Pangkalpinang",
        "agreement_number": "PKS-9",
        "agreement_start": TODAY.isoformat(),
        "agreement_end": "",
        "is_active": "on",
        "products_carried-TOTAL_FORMS": "1",
        "products_carried-INITIAL_FORMS": "0",
        "products_carried-MIN_NUM_FORMS": "0",
        "products_carried-MAX_NUM_FORMS": "1000",
        "products_carried-0-product": str(product_id),
        **extra,
    }


def test_staff_add_an_outlet_for_their_facility_with_their_product(client, facility):
    product = ProductFactory(facility=facility)
    client.force_login(facility_staff(facility))
    response = client.post("/admin/facilities/partneroutlet/add/", _outlet_post(product.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    outlet = PartnerOutlet.objects.get(name="Koperasi Baru")
    assert outlet.facility == facility
    assert list(outlet.products_carried.values_list("product_id", flat=True)) == [product.pk]


def test_staff_cannot_attach_another_facilitys_product_or_facility(
    client, facility, other_facility
):
    foreign = ProductFactory(facility=other_facility)
    client.force_login(facility_staff(facility))
    response = client.post(
        "/admin/facilities/partneroutlet/add/",
        _outlet_post(foreign.pk, facility=str(other_facility.pk)),
    )
    assert response.status_code == 200  # the form refuses the foreign product
    assert not PartnerOutlet.objects.exists()


def test_head_office_cannot_link_a_product_across_facilities(client, facility, other_facility):
    foreign = ProductFactory(facility=other_facility)
    client.force_login(head_office_user())
    response = client.post(
        "/admin/facilities/partneroutlet/add/",
        _outlet_post(foreign.pk, facility=str(facility.pk)),
    )
    assert response.status_code == 200
    assert "UPT yang sama" in response.content.decode()
    assert not PartnerOutlet.objects.exists()


def test_reviewers_see_their_regions_outlets_read_only(client, facility, other_facility):
    own = make_outlet(facility, name="Toko Wilayah")
    make_outlet(other_facility, name="Toko Wilayah Lain")
    client.force_login(regional_reviewer(facility.region))
    body = client.get("/admin/facilities/partneroutlet/").content.decode()
    assert "Toko Wilayah" in body and "Toko Wilayah Lain" not in body
    response = client.post(
        f"/admin/facilities/partneroutlet/{own.pk}/change/", _outlet_post(ProductFactory().pk)
    )
    assert response.status_code == 403


def test_staff_see_only_their_events_in_the_admin_but_past_ones_stay(
    client, facility, other_facility
):
    make_event(facility, title="Pameran Lama Kami", start=-30, days=1)
    make_event(other_facility, title="Pameran UPT Lain")
    client.force_login(facility_staff(facility))
    body = client.get("/admin/facilities/exhibition/").content.decode()
    assert "Pameran Lama Kami" in body and "Pameran UPT Lain" not in body


# --- seeds -----------------------------------------------------------------------


def test_seeds_hold_the_named_outlets_and_an_event(client):
    call_command("load_seeds")
    call_command("load_seeds")  # idempotent
    acun = PartnerOutlet.objects.get(name="Toko Acun Akuarium")
    assert acun.facility.slug == "lapas-pangkalpinang"
    carried = set(acun.products_carried.values_list("product__name", flat=True))
    assert any("Perangkap Tikus" in n for n in carried)
    assert any("Lovebird" in n for n in carried)
    assert PartnerOutlet.objects.get(name="Rumah Kemasan Banjarmasin").kind == "packaging_house"
    assert PartnerOutlet.objects.current().count() == 2
    assert Exhibition.objects.upcoming().filter(place__icontains="Kambang Iwak").count() == 1
    body = client.get("/pameran/").content.decode()
    assert "Kambang Iwak" in body
    trap_link = acun.products_carried.get(product__name__icontains="tikus")
    # Consignment seeded once: 5 handed over, 2 reported sold, on both loads.
    assert (trap_link.on_hand, trap_link.sold, trap_link.movements.count()) == (3, 2, 2)
    trap = trap_link.product
    assert "Toko Acun Akuarium" in client.get(trap.get_absolute_url()).content.decode()


def _event_post(facility_id, **extra):
    return {
        "facility": str(facility_id),
        "title": "Pameran Kanwil",
        "place": "Benteng Kuto Besak",
        "city": "Palembang",
        "province": "Sumatera Selatan",
        "starts_on": (TODAY + timedelta(days=5)).isoformat(),
        "ends_on": (TODAY + timedelta(days=6)).isoformat(),
        "description": "",
        "is_published": "on",
        "products_on_show-TOTAL_FORMS": "0",
        "products_on_show-INITIAL_FORMS": "0",
        "products_on_show-MIN_NUM_FORMS": "0",
        "products_on_show-MAX_NUM_FORMS": "1000",
        **extra,
    }


def test_a_kanwil_publishes_events_for_its_regions_facilities_only(
    client, facility, other_facility
):
    client.force_login(regional_reviewer(facility.region))
    response = client.post("/admin/facilities/exhibition/add/", _event_post(other_facility.pk))
    assert response.status_code == 200  # another region's facility is not a choice
    assert not Exhibition.objects.exists()
    response = client.post("/admin/facilities/exhibition/add/", _event_post(facility.pk))
    assert response.status_code == 302
    assert Exhibition.objects.get().facility == facility


def test_staff_publish_events_as_their_own_facility(client, facility, other_facility):
    client.force_login(facility_staff(facility))
    response = client.post("/admin/facilities/exhibition/add/", _event_post(other_facility.pk))
    assert response.status_code == 302
    # The facility is set from the membership, whatever the POST says.
    assert Exhibition.objects.get().facility == facility
