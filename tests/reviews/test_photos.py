"""Review photos: up to 3 with the review, through the photo pipeline (hostile
files refused, metadata gone), private until published, shown to moderators
in scope, on the product page once published, never after a rejection."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from orders.models import OrderStatus
from reviews import services
from reviews.models import ProductReview, ReviewPhoto
from tests.catalog.test_images import _jpeg_with_gps_and_orientation, _png_header_only
from tests.factories import facility_staff, regional_reviewer
from tests.orders.test_services import _order_in
from tests.orders.test_views import _tracking

REFUSAL = "Kode pesanan atau nomor HP tidak cocok."


def _png(color=(200, 30, 30), size=(640, 480)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), "image/png")


def _post(client, order, line, photos=(), rating="5", text="Rapi"):
    return client.post(
        f"/lacak/{order.code}/ulasan/{line.pk}/",
        {"rating": rating, "text": text, "photos": list(photos)},
    )


@pytest.fixture
def done(mukena):
    return _order_in(OrderStatus.COMPLETED, mukena)[0]


def test_review_with_photos_is_stored_privately_without_metadata(client, done, media):
    _tracking(client, done)
    gps = SimpleUploadedFile("gps.jpg", _jpeg_with_gps_and_orientation(), "image/jpeg")
    response = _post(client, done, done.lines.get(), photos=[gps, _png()])
    assert response.status_code == 302
    review = ProductReview.objects.get()
    photos = list(review.photos.all())
    assert [p.position for p in photos] == [0, 1]
    for photo in photos:
        assert photo.image.name.startswith("private/reviews/")
        assert set(photo.renditions) == {"320", "640", "1280"}
        for entry in photo.renditions.values():
            for fmt in ("webp", "jpeg"):
                assert entry[fmt].startswith("private/reviews/")
                data = (media / entry[fmt]).read_bytes()
                assert b"KameraUji" not in data and b"Exif" not in data
    # The tracking page says the photos came with the review.
    assert "2 foto" in client.get(f"/lacak/{done.code}/").content.decode()


def test_more_than_three_photos_refused_and_nothing_saved(client, done, media):
    _tracking(client, done)
    response = _post(client, done, done.lines.get(), photos=[_png() for _ in range(4)])
    assert response.status_code == 302
    assert not ProductReview.objects.exists() and not ReviewPhoto.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Paling banyak 3 foto" in page
    # Nothing was written to storage either.
    assert not (media / "private" / "reviews").exists()
    # Three is allowed, and the line may still be reviewed after the refusal.
    assert (
        _post(client, done, done.lines.get(), photos=[_png() for _ in range(3)]).status_code == 302
    )
    assert ReviewPhoto.objects.count() == 3


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("foto.png", b"<script>alert(1)</script>", "image/png"),
        SimpleUploadedFile("foto.jpg", b"GIF89a" + b"\x00" * 100, "image/jpeg"),
        SimpleUploadedFile("bom.png", _png_header_only(20_000, 20_000), "image/png"),
        SimpleUploadedFile("foto.svg", b"<svg onload=alert(1)></svg>", "image/svg+xml"),
    ],
    ids=["html", "not-an-image", "decompression-bomb", "svg"],
)
def test_hostile_files_refused_with_a_message(client, done, media, upload):
    _tracking(client, done)
    response = _post(client, done, done.lines.get(), photos=[upload])
    assert response.status_code == 302
    assert not ProductReview.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert 'class="msg msg-error"' in page and "foto" in page.lower()
    assert any(
        m in page
        for m in ("tidak bisa dibaca sebagai foto", "Format foto tidak didukung", "megapiksel")
    )
    assert "Kirim ulasan" in page  # the form is still there to try again


def test_refused_shopper_files_are_never_read(client, mukena, done, media, monkeypatch):
    """Wrong session, another order's line, a second review: the wrong-code
    answer, before any photo is decoded."""
    decoded = []
    monkeypatch.setattr(services, "process_image", lambda u: decoded.append(u))
    line = done.lines.get()
    assert _post(client, done, line, photos=[_png()]).status_code == 404  # not tracked
    other = _order_in(OrderStatus.COMPLETED, mukena)[0]
    _tracking(client, other)
    refused = _post(client, other, line, photos=[_png()])  # another order's line
    assert refused.status_code == 404 and REFUSAL in refused.content.decode()
    assert decoded == []


def _published_review_with_photo(client, done, palembang):
    _tracking(client, done)
    _post(client, done, done.lines.get(), photos=[_png()], text="Foto asli")
    review = ProductReview.objects.get(order_line__order=done)
    return review, review.photos.get()


def test_photos_public_only_while_published(client, done, mukena, palembang, media):
    review, photo = _published_review_with_photo(client, done, palembang)
    url = f"/ulasan/foto/{photo.pk}/320.webp"
    client.logout()
    assert client.get(url).status_code == 404  # pending
    assert url not in client.get(mukena.get_absolute_url()).content.decode()
    services.review_publish(review=review, actor=facility_staff(palembang), checklist_ok=True)
    page = client.get(mukena.get_absolute_url()).content.decode()
    assert url in page and 'loading="lazy"' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/ulasan/foto/{photo.pk}/1280.jpg")["Content-Type"] == "image/jpeg"
    assert client.get(f"/ulasan/foto/{photo.pk}/999.jpg").status_code == 404
    assert client.get(f"/ulasan/foto/{photo.pk}/320.svg").status_code == 404
    # A product taken off the site takes its reviews' photos with it.
    from catalog.models import Product

    Product.objects.filter(pk=mukena.pk).update(status="archived")
    assert client.get(url).status_code == 404
    Product.objects.filter(pk=mukena.pk).update(status="approved")
    assert client.get(url).status_code == 200
    # Withdrawn: gone from the page and from the photo address.
    services.review_reject(review=review, actor=facility_staff(palembang), reason="Memuat wajah")
    assert url not in client.get(mukena.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 404
    # The stored files themselves are under private/, which media never serves.
    assert client.get(f"/media/{photo.image.name}").status_code == 404


def test_moderators_in_scope_see_the_photos_with_the_checklist(
    client, done, palembang, raha, media
):
    review, photo = _published_review_with_photo(client, done, palembang)
    change = f"/admin/reviews/productreview/{review.pk}/change/"
    photo_url = f"/admin/reviews/productreview/{review.pk}/foto/{photo.pk}/320/"
    client.force_login(facility_staff(palembang))
    page = client.get(change).content.decode()
    assert photo_url in page and "Tidak menyebut atau menampilkan warga binaan" in page
    assert "Tidak memuat data pribadi" in page
    response = client.get(photo_url)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    # Kanwil of the region too.
    client.force_login(regional_reviewer(palembang.region))
    assert client.get(photo_url).status_code == 200
    # Another facility's staff: neither the review nor its photo.
    client.force_login(facility_staff(raha))
    assert client.get(photo_url).status_code == 404
    assert client.get(change).status_code in (302, 404)


def test_files_go_with_the_review(client, done, media, django_capture_on_commit_callbacks):
    _tracking(client, done)
    _post(client, done, done.lines.get(), photos=[_png()])
    photo = ReviewPhoto.objects.get()
    files = [photo.image.name] + [e[f] for e in photo.renditions.values() for f in ("webp", "jpeg")]
    assert all((media / name).exists() for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        ProductReview.objects.get().delete()
    assert not any((media / name).exists() for name in files)


def test_product_page_queries_do_not_grow_with_photos(client, mukena, palembang, media):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def publish_one(photos):
        order = _order_in(OrderStatus.COMPLETED, mukena)[0]
        _tracking(client, order)
        _post(client, order, order.lines.get(), photos=[_png() for _ in range(photos)])
        review = ProductReview.objects.get(order_line__order=order)
        services.review_publish(review=review, actor=None, checklist_ok=True)

    def count():
        cache.clear()
        client.logout()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(mukena.get_absolute_url()).status_code == 200
        return len(ctx)

    publish_one(1)
    one = count()
    publish_one(3)
    publish_one(2)
    assert count() == one


def test_moderation_list_shows_photo_counts_in_a_flat_number_of_queries(
    client, mukena, palembang, media
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def review_with(photos):
        order = _order_in(OrderStatus.COMPLETED, mukena)[0]
        _tracking(client, order)
        _post(client, order, order.lines.get(), photos=[_png() for _ in range(photos)])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/admin/reviews/productreview/")
        assert page.status_code == 200
        return len(ctx), page.content.decode()

    review_with(2)
    client.force_login(facility_staff(palembang))
    one, page = count()
    assert 'class="field-photo_count">2<' in page
    client.logout()
    review_with(3)
    review_with(0)
    client.force_login(facility_staff(palembang))
    assert count()[0] == one
