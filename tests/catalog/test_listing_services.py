"""The listing status machine, the re-review rule and the mail it sends."""

import pytest
from django.contrib.postgres.search import SearchQuery

from catalog import services
from catalog.models import ListingReview, ListingStatus, Product
from catalog.services import (
    ListingPermissionError,
    ListingTransitionError,
    listing_approve,
    listing_archive,
    listing_reject,
    listing_request_changes,
    listing_submit,
    product_create,
    product_image_add,
    product_image_delete,
    product_update,
)
from tests.catalog.factories import CategoryFactory
from tests.catalog.listing_factories import (  # noqa: F401
    DraftProductFactory,
    image_bytes,
    product_with_photo,
    upload,
)
from tests.factories import FacilityFactory, facility_staff, head_office_user, regional_reviewer

S = ListingStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

FULL_CHECKLIST = {key: True for key in services.CHECKLIST}


def _reviewer_for(product):
    return regional_reviewer(product.facility.region)


# --- every allowed transition -------------------------------------------------


def test_submit_from_draft_and_from_changes_requested(django_capture_on_commit_callbacks):
    for start in (S.DRAFT, S.CHANGES_REQUESTED):
        product = product_with_photo(status=start)
        staff = facility_staff(product.facility)
        with django_capture_on_commit_callbacks(execute=True):
            review = listing_submit(product=product, actor=staff)
        product.refresh_from_db()
        assert product.status == S.PENDING_REVIEW and product.submitted_at is not None
        assert (review.action, review.from_status, review.to_status, review.actor) == (
            "submit",
            start,
            S.PENDING_REVIEW,
            staff,
        )


def test_approve_sets_approved_at_and_records_checklist():
    product = product_with_photo(status=S.PENDING_REVIEW)
    reviewer = _reviewer_for(product)
    review = listing_approve(product=product, actor=reviewer, checklist=FULL_CHECKLIST)
    product.refresh_from_db()
    assert product.status == S.APPROVED and product.approved_at is not None
    assert review.checklist == FULL_CHECKLIST and review.actor == reviewer
    assert Product.objects.public().filter(pk=product.pk).exists()


def test_request_changes_and_reject_need_a_note():
    for service, target in (
        (listing_request_changes, S.CHANGES_REQUESTED),
        (listing_reject, S.REJECTED),
    ):
        product = product_with_photo(status=S.PENDING_REVIEW)
        reviewer = _reviewer_for(product)
        with pytest.raises(ListingTransitionError, match="catatan"):
            service(product=product, actor=reviewer, note="   ")
        product.refresh_from_db()
        assert product.status == S.PENDING_REVIEW
        review = service(product=product, actor=reviewer, note="Foto buram, mohon diganti.")
        product.refresh_from_db()
        assert product.status == target and review.note == "Foto buram, mohon diganti."


def test_archive_an_approved_listing():
    product = product_with_photo(status=S.APPROVED)
    listing_archive(product=product, actor=facility_staff(product.facility))
    product.refresh_from_db()
    assert product.status == S.ARCHIVED
    assert not Product.objects.public().filter(pk=product.pk).exists()


# --- every refused transition -------------------------------------------------

REFUSED = [
    (listing_submit, [S.PENDING_REVIEW, S.APPROVED, S.REJECTED, S.ARCHIVED]),
    (listing_approve, [S.DRAFT, S.APPROVED, S.CHANGES_REQUESTED, S.REJECTED, S.ARCHIVED]),
    (listing_request_changes, [S.DRAFT, S.APPROVED, S.CHANGES_REQUESTED, S.REJECTED, S.ARCHIVED]),
    (listing_reject, [S.DRAFT, S.APPROVED, S.CHANGES_REQUESTED, S.REJECTED, S.ARCHIVED]),
    (listing_archive, [S.DRAFT, S.PENDING_REVIEW, S.CHANGES_REQUESTED, S.REJECTED, S.ARCHIVED]),
]


@pytest.mark.parametrize(
    "service,start",
    [(service, start) for service, starts in REFUSED for start in starts],
    ids=lambda v: getattr(v, "__name__", v),
)
def test_refused_transitions_change_nothing(service, start):
    product = product_with_photo(status=start)
    actor = None  # the system itself: only the state table can refuse
    kwargs = {"product": product, "actor": actor}
    if service in (listing_request_changes, listing_reject):
        kwargs["note"] = "Catatan"
    if service is listing_approve:
        kwargs["checklist"] = FULL_CHECKLIST
    with pytest.raises(ListingTransitionError, match="tidak dapat"):
        service(**kwargs)
    product.refresh_from_db()
    assert product.status == start
    assert not ListingReview.objects.filter(product=product).exists()


def test_submit_without_photo_is_refused():
    product = DraftProductFactory()
    with pytest.raises(ListingTransitionError, match="foto"):
        listing_submit(product=product, actor=facility_staff(product.facility))
    product.refresh_from_db()
    assert product.status == S.DRAFT


def test_approve_needs_the_whole_checklist_and_food_registration_for_food():
    food = CategoryFactory(slug="makanan", name_id="Makanan", name_en="Food")
    product = product_with_photo(status=S.PENDING_REVIEW, category=food)
    reviewer = _reviewer_for(product)
    partial = {**FULL_CHECKLIST, "food_registration": False}
    with pytest.raises(ListingTransitionError, match="P-IRT"):
        listing_approve(product=product, actor=reviewer, checklist=partial)
    listing_approve(product=product, actor=reviewer, checklist=FULL_CHECKLIST)
    # A craft needs no food registration tick.
    craft = product_with_photo(status=S.PENDING_REVIEW)
    listing_approve(product=craft, actor=_reviewer_for(craft), checklist=partial)


# --- who may take each step -----------------------------------------------------


def test_reviewer_of_another_region_cannot_decide():
    product = product_with_photo(status=S.PENDING_REVIEW)
    outsider = regional_reviewer(FacilityFactory().region)
    with pytest.raises(ListingPermissionError):
        listing_approve(product=product, actor=outsider, checklist=FULL_CHECKLIST)
    product.refresh_from_db()
    assert product.status == S.PENDING_REVIEW


def test_staff_cannot_approve_their_own_listing_nor_touch_another_facility():
    product = product_with_photo(status=S.PENDING_REVIEW)
    staff = facility_staff(product.facility)
    with pytest.raises(ListingPermissionError):
        listing_approve(product=product, actor=staff, checklist=FULL_CHECKLIST)
    other = product_with_photo(status=S.DRAFT)
    with pytest.raises(ListingPermissionError):
        listing_submit(product=other, actor=staff)
    with pytest.raises(ListingPermissionError):
        product_update(product=other, actor=staff, price=1)
    other.refresh_from_db()
    assert other.status == S.DRAFT and other.price == 125_000


def test_reviewer_cannot_edit_content():
    product = product_with_photo(status=S.APPROVED)
    with pytest.raises(ListingPermissionError):
        product_update(product=product, actor=_reviewer_for(product), name="Diubah peninjau")


def test_head_office_decides_nationally():
    product = product_with_photo(status=S.PENDING_REVIEW)
    listing_approve(product=product, actor=head_office_user(), checklist=FULL_CHECKLIST)
    product.refresh_from_db()
    assert product.status == S.APPROVED


# --- the re-review rule ----------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "description", "category"])
def test_content_change_sends_approved_listing_back(field):
    product = product_with_photo(status=S.APPROVED)
    value = {
        "name": "Tas Rajut Motif Baru",
        "description": "Deskripsi yang baru.",
        "category": CategoryFactory(),
    }[field]
    product_update(product=product, actor=facility_staff(product.facility), **{field: value})
    product.refresh_from_db()
    assert product.status == S.PENDING_REVIEW
    review = product.reviews.get()
    assert review.action == ListingReview.Action.CONTENT_CHANGED
    assert (review.from_status, review.to_status) == (S.APPROVED, S.PENDING_REVIEW)
    assert not Product.objects.public().filter(pk=product.pk).exists()


# Issue 13, finding 6: the food claims the product page prints changed without
# review. Each is tried on its own, set, changed and cleared.
FOOD_CHANGES = [
    ("food_registration", "", "P-IRT 2061671010123-27"),
    ("food_registration", "P-IRT 2061671010123-27", "P-IRT 9999999999999-99"),
    ("food_registration", "P-IRT 2061671010123-27", ""),
    ("halal_certificate", "", "ID16110000789010824"),
    ("halal_certificate", "ID16110000789010824", "ID00000000000000000"),
    ("halal_certificate", "ID16110000789010824", ""),
    ("shelf_life_days", None, 30),
    ("shelf_life_days", 30, 365),
    ("shelf_life_days", 30, None),
    ("composition", "", "Ikan belida, tepung tapioka"),
    ("net_content", "250 g", "200 g"),
]


@pytest.mark.parametrize("field, before, after", FOOD_CHANGES)
def test_food_claims_send_an_approved_listing_back(field, before, after):
    product = product_with_photo(status=S.APPROVED)
    Product.objects.filter(pk=product.pk).update(**{field: before})
    product.refresh_from_db()
    product_update(product=product, actor=facility_staff(product.facility), **{field: after})
    product.refresh_from_db()
    assert getattr(product, field) == after
    assert product.status == S.PENDING_REVIEW
    assert not Product.objects.public().filter(pk=product.pk).exists()
    review = product.reviews.get()
    assert review.action == ListingReview.Action.CONTENT_CHANGED
    assert str(Product._meta.get_field(field).verbose_name) in review.note


def test_the_reviewed_fields_are_the_public_claims_and_no_sales_field():
    assert set(services.REVIEWED_FIELDS) == {
        "name",
        "description",
        "category",
        "food_registration",
        "halal_certificate",
        "shelf_life_days",
        # Issue 34: printed on the food label, a claim like the numbers above.
        "composition",
        "net_content",
    }
    assert set(services.REVIEWED_FIELDS) <= services.EDITABLE_FIELDS
    assert not {"price", "stock", "unit", "min_order_quantity"} & set(services.REVIEWED_FIELDS)


@pytest.mark.parametrize(
    "field, value",
    [
        ("price", 99_000),
        ("stock", 3),
        ("unit", "pack"),
        ("min_order_quantity", 2),
        ("made_to_order", True),
        ("weight_grams", 450),
        ("length_cm", 40),
        ("local_only", True),
    ],
)
def test_sales_fields_never_need_review(field, value):
    product = product_with_photo(status=S.APPROVED)
    extra = {"lead_time_days": 7} if field == "made_to_order" else {}
    staff = facility_staff(product.facility)
    product_update(product=product, actor=staff, **{field: value}, **extra)
    product.refresh_from_db()
    assert getattr(product, field) == value
    assert product.status == S.APPROVED and not product.reviews.exists()


def test_stock_and_price_changes_never_need_review():
    product = product_with_photo(status=S.APPROVED)
    staff = facility_staff(product.facility)
    product_update(product=product, actor=staff, stock=3, price=99_000, weight_grams=450)
    product.refresh_from_db()
    assert (product.status, product.stock, product.price) == (S.APPROVED, 3, 99_000)
    assert not product.reviews.exists()


def test_unchanged_content_does_not_trigger_review():
    product = product_with_photo(status=S.APPROVED)
    product_update(product=product, actor=None, name=product.name, category=product.category)
    product.refresh_from_db()
    assert product.status == S.APPROVED and not product.reviews.exists()


def test_adding_or_removing_a_photo_sends_approved_listing_back():
    product = product_with_photo(status=S.APPROVED)
    staff = facility_staff(product.facility)
    product_image_add(
        product=product, upload=upload(image_bytes()), alt_text="Tampak samping", actor=staff
    )
    product.refresh_from_db()
    assert product.status == S.PENDING_REVIEW
    Product.objects.filter(pk=product.pk).update(status=S.APPROVED)
    product_image_delete(image=product.images.first(), actor=staff)
    product.refresh_from_db()
    assert product.status == S.PENDING_REVIEW
    assert product.reviews.filter(action="content_changed").count() == 2


def test_content_change_on_a_draft_writes_no_review_row():
    product = product_with_photo(status=S.DRAFT)
    product_update(product=product, actor=None, name="Nama lain")
    product.refresh_from_db()
    assert product.status == S.DRAFT and not product.reviews.exists()


def test_services_refuse_status_and_facility_fields():
    product = product_with_photo(status=S.DRAFT)
    with pytest.raises(ValueError):
        product_update(product=product, actor=None, status=S.APPROVED)
    with pytest.raises(ValueError):
        product_update(product=product, actor=None, facility=FacilityFactory())


def test_create_makes_a_stable_unique_slug_and_search_vector():
    facility = FacilityFactory(slug="lapas-uji-slug")
    category = CategoryFactory()
    fields = {
        "category": category,
        "name": "Miniatur Kapal Jati",
        "description": "Miniatur kapal pinisi dari kayu jati.",
        "price": 350_000,
        "weight_grams": 1200,
    }
    first = product_create(facility=facility, actor=facility_staff(facility), **fields)
    second = product_create(facility=facility, actor=None, **fields)
    assert first.slug == "miniatur-kapal-jati-lapas-uji-slug"
    assert second.slug == "miniatur-kapal-jati-lapas-uji-slug-2"
    assert first.status == S.DRAFT
    product_update(product=first, actor=None, name="Miniatur Perahu Jati")
    first.refresh_from_db()
    assert first.slug == "miniatur-kapal-jati-lapas-uji-slug"  # stable
    query = SearchQuery("perahu", config="indonesian")
    assert Product.objects.filter(pk=first.pk, search_vector=query).exists()


def test_create_refuses_another_facility_and_made_to_order_without_lead_time():
    from django.core.exceptions import ValidationError

    facility = FacilityFactory()
    staff = facility_staff(FacilityFactory())
    fields = {
        "category": CategoryFactory(),
        "name": "Gembol Jati",
        "description": "Gembol kayu jati.",
        "price": 500_000,
        "weight_grams": 3000,
    }
    with pytest.raises(ListingPermissionError):
        product_create(facility=facility, actor=staff, **fields)
    with pytest.raises(ValidationError, match="lama pengerjaan"):
        product_create(facility=facility, actor=None, made_to_order=True, **fields)
    assert not Product.objects.exists()


def test_public_needs_approved_and_active_facility():
    approved = product_with_photo(status=S.APPROVED)
    product_with_photo(status=S.PENDING_REVIEW)
    closed = product_with_photo(status=S.APPROVED, facility=FacilityFactory(is_active=False))
    assert list(Product.objects.public()) == [approved]
    assert not closed.is_public


# --- mail -------------------------------------------------------------------------


def _with_email(user, email):
    user.email = email
    user.save(update_fields=["email"])
    return user


def test_submit_mails_the_regions_reviewers_on_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    product = product_with_photo(status=S.DRAFT)
    _with_email(_reviewer_for(product), "peninjau@kanwil.example")
    _with_email(regional_reviewer(FacilityFactory().region), "lain@kanwil.example")
    _with_email(facility_staff(product.facility), "petugas@upt.example")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        listing_submit(product=product, actor=None)
    assert mailoutbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["peninjau@kanwil.example"]
    assert product.name in message.subject and "menunggu tinjauan" in message.subject.lower()
    assert "/admin/catalog/reviewqueueitem/" in message.body


@pytest.mark.parametrize(
    "service,word",
    [
        (listing_approve, "disetujui"),
        (listing_request_changes, "diperbaiki"),
        (listing_reject, "ditolak"),
    ],
)
def test_decisions_mail_the_facility_staff_with_the_note(
    service, word, mailoutbox, django_capture_on_commit_callbacks
):
    product = product_with_photo(status=S.PENDING_REVIEW)
    _with_email(facility_staff(product.facility), "petugas@upt.example")
    _with_email(facility_staff(FacilityFactory(region=product.facility.region)), "x@upt.example")
    _with_email(_reviewer_for(product), "peninjau@kanwil.example")
    note = "Label kemasan belum mencantumkan berat bersih & tanggal produksi."
    with django_capture_on_commit_callbacks(execute=True):
        service(product=product, actor=_reviewer_for(product), note=note, checklist=FULL_CHECKLIST)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["petugas@upt.example"]
    assert word in mailoutbox[0].body
    assert note in mailoutbox[0].body  # not HTML-escaped in a text mail


def test_refused_step_sends_no_mail(mailoutbox, django_capture_on_commit_callbacks):
    product = product_with_photo(status=S.APPROVED)
    _with_email(facility_staff(product.facility), "petugas@upt.example")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ListingTransitionError):
        listing_reject(product=product, actor=None, note="Tidak layak")
    assert mailoutbox == []


def test_content_change_of_approved_listing_mails_reviewers_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    product = product_with_photo(status=S.APPROVED)
    _with_email(_reviewer_for(product), "peninjau@kanwil.example")
    with django_capture_on_commit_callbacks(execute=True):
        product_update(product=product, actor=None, stock=1)
    assert mailoutbox == []  # stock: no review, no mail
    with django_capture_on_commit_callbacks(execute=True):
        product_update(product=product, actor=None, description="Deskripsi baru yang lebih jujur.")
    assert len(mailoutbox) == 1 and "ditinjau ulang" in mailoutbox[0].body
