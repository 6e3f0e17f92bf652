"""The shared cache of anonymous shoppers' public pages (core/page_cache.py):
who gets a stored page, what never gets stored, and that nothing per visitor
is in it (tests/core/test_edge_pages.py: the same bytes for everyone, the
edge's headers)."""

import re

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import Client, RequestFactory

from catalog.services import listing_archive, product_update
from core.page_cache import ANY_WRITE, public_page, tag_versions
from tests.catalog.factories import ProductFactory, ProductImageFactory
from tests.factories import FacilityFactory, facility_staff

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture
def kursi(db):
    product = ProductFactory(name="Kursi Jati Ukir", slug="kursi-jati-ukir", stock=7)
    ProductImageFactory(product=product)
    return product


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    client, kursi, django_assert_num_queries
):
    first = client.get("/produk/")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get("/produk/")
    assert second["X-Page-Cache"] == "hit"
    assert "Kursi Jati Ukir" in second.text


@pytest.mark.parametrize(
    "path", ["/", "/produk/", "/produk/kursi-jati-ukir/", "/upt/", "/pameran/", "/dampak/"]
)
def test_public_pages_are_shared(client, kursi, path):
    client.get(path)
    assert Client().get(path)["X-Page-Cache"] == "hit"


def test_storefront_and_category_pages_are_shared(client, kursi):
    for path in (kursi.facility.get_absolute_url(), f"/kategori/{kursi.category.slug}/"):
        client.get(path)
        assert Client().get(path)["X-Page-Cache"] == "hit", path


def test_shared_pages_carry_no_csrf_token_and_set_no_cookie(kursi):
    first = Client(enforce_csrf_checks=True).get("/produk/kursi-jati-ukir/")
    page = Client(enforce_csrf_checks=True).get("/produk/kursi-jati-ukir/")
    assert page["X-Page-Cache"] == "hit"
    assert page.content == first.content
    assert not TOKEN.findall(page.text) and not page.cookies and not first.cookies
    # The language buttons work without one (marketplace/urls.py).
    switched = Client(enforce_csrf_checks=True).post("/i18n/setlang/", {"language": "en"})
    assert switched.status_code == 302 and switched.cookies[settings.LANGUAGE_COOKIE_NAME]


def test_a_shopper_with_a_cart_gets_the_shared_page_and_a_cookie_with_the_count(client, kursi):
    Client().get("/produk/")
    added = client.post("/keranjang/tambah/", {"product": kursi.pk, "quantity": 1})
    assert added.cookies["kb_cart"].value == "1"
    page = client.get("/produk/")
    assert page["X-Page-Cache"] == "hit"
    assert "cart-count" not in page.text and page.content == Client().get("/produk/").content


def test_a_message_waits_for_the_script_or_a_page_of_the_visitors_own(client, kursi):
    Client().get("/produk/")
    added = client.post("/keranjang/tambah/", {"product": kursi.pk, "quantity": 1})
    assert added.cookies["kb_msg"].value == "1"
    page = client.get("/produk/")
    assert page["X-Page-Cache"] == "hit" and "Ditambahkan ke keranjang" not in page.text
    state = client.get("/sesi.json").json()
    assert state["cart"] == "1"
    assert [m["text"] for m in state["messages"]] == ["Ditambahkan ke keranjang: Kursi Jati Ukir."]
    assert client.cookies["kb_msg"].value == ""  # shown once: the flag is gone
    assert client.get("/sesi.json").json()["messages"] == []


def test_error_pages_after_a_shared_build_carry_the_visitors_count(client, kursi):
    client.post("/keranjang/tambah/", {"product": kursi.pk, "quantity": 1})
    page = client.get("/produk/tidak-ada/")
    assert page.status_code == 404
    assert "\x00" not in page.text and '<span class="cart-count">(1)</span>' in page.text
    assert "no-store" in page["Cache-Control"]


def test_logged_in_staff_never_get_or_fill_the_shared_copy(client, kursi):
    client.force_login(facility_staff(kursi.facility))
    assert client.get("/admin/").cookies["kb_staff"].value == "1"
    page = client.get("/produk/")
    assert "X-Page-Cache" not in page and "no-store" in page["Cache-Control"]
    assert Client().get("/produk/")["X-Page-Cache"] == "miss"


def test_staff_preview_of_an_unpublished_listing_is_never_stored(client, db):
    draft = ProductFactory(status="draft", slug="tas-rajut-draf", approved_at=None)
    client.force_login(facility_staff(draft.facility))
    client.get("/admin/")
    preview = client.get("/produk/tas-rajut-draf/")
    assert preview.status_code == 200 and "no-store" in preview["Cache-Control"]
    assert Client().get("/produk/tas-rajut-draf/").status_code == 404


def test_english_visitors_get_the_english_page(kursi):
    Client().get("/produk/")
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get("/produk/")
    assert page["X-Page-Cache"] == "miss"
    assert '<html lang="en">' in page.text


def test_query_strings_are_separate_pages(client, kursi):
    ProductFactory(name="Tas Rajut Biru", slug="tas-rajut-biru")
    client.get("/produk/?q=kursi")
    page = Client().get("/produk/?q=tas")
    assert page["X-Page-Cache"] == "miss"
    assert "Tas Rajut Biru" in page.text and "Kursi Jati Ukir" not in page.text


def test_an_edited_or_withdrawn_listing_shows_at_once(
    client, kursi, django_capture_on_commit_callbacks
):
    staff = facility_staff(kursi.facility)
    assert "Rp 125.000" in client.get("/produk/kursi-jati-ukir/").text
    with django_capture_on_commit_callbacks(execute=True):
        product_update(product=kursi, actor=staff, price=99_000)
    page = Client().get("/produk/kursi-jati-ukir/")
    assert page["X-Page-Cache"] == "miss" and "Rp 99.000" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        listing_archive(product=kursi, actor=staff)
    assert Client().get("/produk/kursi-jati-ukir/").status_code == 404
    assert "Kursi Jati Ukir" not in Client().get("/produk/").text


def test_not_found_pages_are_not_stored(client, db):
    client.get("/produk/tidak-ada/")
    assert "X-Page-Cache" not in Client().get("/produk/tidak-ada/")


def _request_with_messages(path):
    request = RequestFactory().get(path)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_page_that_queued_a_message_is_not_stored(db):
    @public_page
    def view(request):
        messages.info(request, "Produk ditambahkan ke keranjang.")
        return HttpResponse("halaman")

    first = view(_request_with_messages("/contoh/"))
    assert "X-Page-Cache" not in first and "no-store" in first["Cache-Control"]
    assert "X-Page-Cache" not in view(_request_with_messages("/contoh/"))


def test_turned_off_by_setting(client, kursi, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/produk/")
    assert "X-Page-Cache" not in Client().get("/produk/")


def test_while_one_request_rebuilds_an_out_of_date_page_others_get_the_old_copy(
    client, kursi, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from core.page_cache import _key

    client.get("/produk/kursi-jati-ukir/")
    with django_capture_on_commit_callbacks(execute=True):
        product_update(product=kursi, actor=facility_staff(kursi.facility), price=99_000)
    # Another worker is rebuilding this page right now.
    request = RequestFactory().get("/produk/kursi-jati-ukir/")
    request.LANGUAGE_CODE = "id"
    assert cache.add(_key(request) + ":rebuilding", 1, 30)
    meanwhile = Client().get("/produk/kursi-jati-ukir/")
    assert meanwhile["X-Page-Cache"] == "stale" and "Rp 125.000" in meanwhile.text
    # The edge may keep that old copy one second only.
    assert "s-maxage=1," in meanwhile["Cache-Control"]
    cache.delete(_key(request) + ":rebuilding")
    rebuilt = Client().get("/produk/kursi-jati-ukir/")
    assert rebuilt["X-Page-Cache"] == "miss" and "Rp 99.000" in rebuilt.text
    assert Client().get("/produk/kursi-jati-ukir/")["X-Page-Cache"] == "hit"


def test_an_expired_page_is_rebuilt(client, kursi, settings):
    import time

    client.get("/produk/")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 1
    client.get("/produk/?baru=1")
    time.sleep(1.1)
    assert Client().get("/produk/?baru=1")["X-Page-Cache"] == "miss"


def any_write_version():
    return tag_versions([ANY_WRITE])[ANY_WRITE]


def test_writes_to_rows_no_public_page_shows_leave_the_cache_alone(kursi):
    from catalog.models import ListingReview
    from facilities.models import BankAccount

    before = any_write_version()
    ListingReview.objects.create(
        product=kursi, action="submit", from_status="draft", to_status="pending_review"
    )
    BankAccount.objects.create(
        facility=kursi.facility, bank_name="BRI", account_number="0123456789", account_holder="BPG"
    )
    facility_staff(kursi.facility)  # a Membership row
    assert any_write_version() == before


def test_a_save_through_a_proxy_model_retires_pages(kursi):
    from catalog.models import ReviewQueueItem

    before = any_write_version()
    ReviewQueueItem.objects.get(pk=kursi.pk).save()
    assert any_write_version() != before


def test_a_facility_joining_an_exhibition_retires_pages(kursi):
    import datetime

    from facilities.models import Exhibition

    exhibition = Exhibition.objects.create(
        title="Pameran Karya Binaan",
        facility=kursi.facility,
        place="Kendari Expo",
        city="Kendari",
        province="Sulawesi Tenggara",
        starts_on=datetime.date(2026, 12, 1),
        ends_on=datetime.date(2026, 12, 3),
    )
    before = any_write_version()
    exhibition.participants.add(FacilityFactory())
    assert any_write_version() != before
