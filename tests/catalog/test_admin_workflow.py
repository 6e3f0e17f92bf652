"""The product page's next step and the reviewer's side-by-side: save and submit
in one step through listing_submit, the reviewer's note on top when a listing
comes back, and what changed since the last decision."""

import pytest
from django.urls import reverse

from catalog import services
from catalog.models import ListingReview, ListingStatus, Product
from tests.catalog.factories import CategoryFactory
from tests.catalog.listing_factories import (  # noqa: F401
    image_bytes,
    product_with_photo,
    upload,
)
from tests.catalog.test_admin import _form_data
from tests.factories import facility_staff, regional_reviewer

S = ListingStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

ALL_TICKED = list(services.CHECKLIST)


def _change(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def _add_data(category):
    return {
        "category": category.pk,
        "name": "Tas Anyaman Pandan",
        "description": "Tas anyaman dari daun pandan, dibuat di bengkel kerja.",
        "price": "85000",
        "unit": "pcs",
        "min_order_quantity": "1",
        "stock": "6",
        "lead_time_days": "",
        "weight_grams": "400",
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "images-0-alt_text": "Tas anyaman pandan cokelat",
        "images-0-position": "0",
        "price_tiers-TOTAL_FORMS": "0",
        "price_tiers-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
    }


def test_add_with_a_photo_and_submit_in_one_step(client, facility):
    category = CategoryFactory()
    client.force_login(facility_staff(facility))
    page = client.get(reverse("admin:catalog_product_add")).content.decode()
    assert 'name="_submit_review"' in page and "Simpan dan ajukan untuk ditinjau" in page
    data = _add_data(category)
    data["images-0-upload"] = upload(image_bytes())
    data["_submit_review"] = "Simpan dan ajukan untuk ditinjau"
    response = client.post(reverse("admin:catalog_product_add"), data, follow=True)
    product = Product.objects.get(name="Tas Anyaman Pandan")
    assert response.redirect_chain[-1][0] == _change(product)
    assert product.status == S.PENDING_REVIEW and product.images.count() == 1
    assert list(product.reviews.values_list("action", flat=True)) == ["submit"]
    assert product.reviews.get().snapshot["name"] == "Tas Anyaman Pandan"
    body = response.content.decode()
    assert "diajukan untuk ditinjau Kanwil" in body and "Menunggu tinjauan" in body
    assert 'name="_submit_review"' not in body  # nothing left to submit


def test_submit_without_a_photo_saves_the_draft_and_says_why(client, facility):
    category = CategoryFactory()
    client.force_login(facility_staff(facility))
    data = _add_data(category)
    data["images-TOTAL_FORMS"] = "0"
    data["_submit_review"] = "1"
    response = client.post(reverse("admin:catalog_product_add"), data, follow=True)
    product = Product.objects.get(name="Tas Anyaman Pandan")
    assert product.status == S.DRAFT
    assert "Tambahkan minimal satu foto sebelum mengajukan." in response.content.decode()


def test_a_plain_save_of_a_draft_reminds_to_submit(client, facility):
    product = product_with_photo(status=S.DRAFT, facility=facility)
    client.force_login(facility_staff(facility))
    data = _form_data(client.get(_change(product)))
    data["_save"] = "Simpan"
    response = client.post(_change(product), data, follow=True)
    product.refresh_from_db()
    assert product.status == S.DRAFT
    assert "belum diajukan" in response.content.decode()


def test_sent_back_listing_shows_the_note_and_submits_again(client, facility, region):
    product = product_with_photo(status=S.PENDING_REVIEW, facility=facility)
    reviewer = regional_reviewer(region)
    services.listing_request_changes(
        product=product, actor=reviewer, note="Foto kedua buram, mohon diganti."
    )
    client.force_login(facility_staff(facility))
    page = client.get(_change(product)).content.decode()
    top = page[: page.index('id="kb-reviewer-note"') + 200]
    assert "Foto kedua buram, mohon diganti." in top
    assert page.index('id="kb-reviewer-note"') < page.index('name="name"')
    assert "Simpan dan ajukan lagi" in page

    data = _form_data(client.get(_change(product)))
    data["description"] = "Deskripsi diperbaiki, foto diganti."
    data["_submit_review"] = "Simpan dan ajukan lagi"
    client.post(_change(product), data)
    product.refresh_from_db()
    assert product.status == S.PENDING_REVIEW
    assert product.description == "Deskripsi diperbaiki, foto diganti."


def test_reviewer_has_no_submit_button(client, facility, region):
    product = product_with_photo(status=S.DRAFT, facility=facility)
    client.force_login(regional_reviewer(region))
    page = client.get(_change(product)).content.decode()
    assert 'name="_submit_review"' not in page


def test_staff_cannot_submit_another_facilitys_listing(client, facility, other_facility):
    theirs = product_with_photo(status=S.DRAFT, facility=other_facility)
    client.force_login(facility_staff(facility))
    response = client.post(_change(theirs), {"_submit_review": "1", "name": "x"})
    assert response.status_code in (302, 403, 404)
    theirs.refresh_from_db()
    assert theirs.status == S.DRAFT and not theirs.reviews.exists()


def test_review_shows_what_changed_since_the_last_decision(client, facility, region):
    product = product_with_photo(status=S.DRAFT, facility=facility, name="Keset Sabut")
    staff = facility_staff(facility)
    reviewer = regional_reviewer(region)
    services.listing_submit(product=product, actor=staff)
    client.force_login(reviewer)
    first = client.get(reverse("admin:catalog_product_review", args=[product.pk]))
    assert "pengajuan pertama" in first.content.decode()

    services.listing_request_changes(product=product, actor=reviewer, note="Nama kurang jelas.")
    services.product_update(product=product, actor=staff, name="Keset Sabut Kelapa 40x60")
    services.listing_submit(product=product, actor=staff)
    response = client.get(reverse("admin:catalog_product_review", args=[product.pk]))
    changes = response.context["changes"]
    changed = {str(r["label"]): (r["before"], r["now"]) for r in changes["rows"] if r["changed"]}
    assert changed == {"nama": ("Keset Sabut", "Keset Sabut Kelapa 40x60")}
    body = response.content.decode()
    assert "Keset Sabut Kelapa 40x60" in body[body.index('id="kb-changes"') :]


def test_review_queue_opens_the_form_and_one_button_decides(client, facility, region):
    product = product_with_photo(status=S.PENDING_REVIEW, facility=facility)
    client.force_login(regional_reviewer(region))
    queue = client.get(reverse("admin:catalog_reviewqueueitem_changelist")).content.decode()
    review_url = reverse("admin:catalog_product_review", args=[product.pk])
    assert f'href="{review_url}"' in queue
    # The home page's queue too: straight to the form, no read-only page between.
    assert f'href="{review_url}"' in client.get("/admin/").content.decode()
    page = client.get(review_url).content.decode()
    assert 'name="decision" value="approve"' in page and "<button" in page
    response = client.post(review_url, {"decision": "approve", "checklist": ALL_TICKED})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == S.APPROVED
    assert ListingReview.objects.filter(product=product, action="approve").get().snapshot
