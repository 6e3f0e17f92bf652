"""Three staff mistakes that were 500s: each is now a clear Indonesian message.

Found on the running site: deleting a product photo twice (a double click, or
a second tab still showing it), a report period of 9999-12, and a bank
statement line of 10^32 rupiah.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog.models import ListingStatus, ProductImage
from orders.payments.models import StatementImport, StatementLine
from tests.catalog.listing_factories import product_with_photo
from tests.catalog.test_admin import _form_data
from tests.factories import FacilityFactory, facility_staff, head_office_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def facility():
    return FacilityFactory(name="Lapas Uji Galat", slug="lapas-uji-galat")


@pytest.fixture
def staff(client, facility):
    user = facility_staff(facility)
    client.force_login(user)
    return user


@pytest.fixture
def product(facility):
    return product_with_photo(status=ListingStatus.APPROVED, facility=facility, name="Tas Uji")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- a photo deleted twice ------------------------------------------------------


def test_the_photo_delete_page_posted_twice(client, staff, product):
    image = product.images.get()
    url = f"/admin/catalog/productimage/{image.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    # Answered like any photo outside the staff's scope: the site's own page.
    again = client.post(url, {"post": "yes"})
    assert again.status_code == 404
    assert "Halaman tidak ditemukan" in again.content.decode()


def test_the_product_form_deleting_a_photo_twice(client, staff, product):
    url = f"/admin/catalog/product/{product.pk}/change/"
    data = _form_data(client.get(url))
    data["images-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    assert not ProductImage.objects.filter(product=product).exists()

    # The same form again: a double click, or the tab that still shows the photo.
    again = client.post(url, data, follow=True)
    assert again.status_code == 200
    assert "Foto itu sudah dihapus sebelumnya" in _messages(again)


def test_the_changelist_action_deleting_a_photo_twice(client, staff, product):
    image = product.images.get()
    data = {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"}
    assert client.post("/admin/catalog/productimage/", data).status_code == 302
    again = client.post("/admin/catalog/productimage/", data, follow=True)
    assert again.status_code == 200


def test_two_deletes_racing_for_one_photo(staff, product):
    from catalog import services
    from catalog.models import ListingReview

    first = product.images.get()
    second = ProductImage.objects.get(pk=first.pk)  # the other request's copy
    services.product_image_delete(image=first, actor=staff)
    history = ListingReview.objects.filter(product=product).count()
    with pytest.raises(services.PhotoGoneError, match="sudah dihapus"):
        services.product_image_delete(image=second, actor=staff)
    # Nothing was deleted, so nothing is written to the listing's history.
    assert ListingReview.objects.filter(product=product).count() == history


# --- a report period of 9999-12 -------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/admin/laporan/penjualan/",
        "/admin/laporan/penjualan.csv",
        "/admin/laporan/penjualan.xlsx",
        "/admin/laporan/pembagian-hasil.csv",
    ],
)
@pytest.mark.parametrize(
    "period",
    [{"start": "9999-01", "end": "9999-12"}, {"end": "9999-12"}, {"start": "0001-01"}],
    ids=["9999", "end-only", "year-1"],
)
def test_a_report_period_out_of_the_calendar(client, path, period):
    client.force_login(head_office_user())
    response = client.get(path, period)
    assert response.status_code in (200, 400), response.status_code
    assert "antara" in response.content.decode()


def test_the_report_calendar_bounds_are_inclusive(client):
    # 2020-01 to December of next year (oversight/periods.py, issue 29).
    last = f"{timezone.localdate().year + 1}-12"
    client.force_login(head_office_user())
    for period in [{"start": last, "end": last}, {"start": "2020-01", "end": "2020-12"}]:
        response = client.get("/admin/laporan/penjualan.csv", period)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    refused = client.get("/admin/laporan/penjualan/", {"start": "2019-12", "end": "2019-12"})
    assert f"Pilih bulan antara 2020-01 dan {last}" in refused.content.decode()


# --- a statement amount of 10^32 -------------------------------------------------


def test_a_statement_amount_of_ten_to_the_32(client, staff, facility):
    huge = "1" + "0" * 32
    statement = (
        "Tanggal Transaksi,Uraian,Debet,Kredit,Saldo\n"
        f"01/11/2026,TRANSFER DARI SITI,0,{huge},0\n"
        "02/11/2026,TRANSFER DARI BUDI,0,150000,0\n"
    ).encode()
    upload = SimpleUploadedFile("mutasi.csv", statement, content_type="text/csv")
    response = client.post(
        "/admin/orders/statementimport/add/",
        {"facility": facility.pk, "file": upload, "layout": "debet_kredit"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "terlalu besar" in page and "TRANSFER DARI SITI" in page
    # Nothing half-imported: the file is refused whole.
    assert not StatementImport.objects.exists() and not StatementLine.objects.exists()
