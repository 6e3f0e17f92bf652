"""The admin as the staff's workplace, and every scope rule tried from outside.

Three people: staff of `facility`, the reviewer of its region, head office;
`other_facility` lies in another region, and is what they try to reach.
"""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse

from catalog.admin import ProductAdmin, ProductImageAdmin
from catalog.models import ListingStatus, Product, ProductImage
from catalog.services import CHECKLIST
from tests.catalog.factories import CategoryFactory
from tests.catalog.listing_factories import (  # noqa: F401
    image_bytes,
    product_with_photo,
    upload,
)
from tests.factories import FacilityFactory, facility_staff, head_office_user, regional_reviewer

S = ListingStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def mine(facility):
    return product_with_photo(status=S.APPROVED, facility=facility, name="Tas Rajut Milik Kami")


@pytest.fixture
def theirs(other_facility):
    return product_with_photo(status=S.PENDING_REVIEW, facility=other_facility, name="Songket Lain")


@pytest.fixture
def staff(facility):
    return facility_staff(facility)


@pytest.fixture
def reviewer(region):
    return regional_reviewer(region)


def _login(client, user):
    client.force_login(user)
    return client


def _url(name, *args, model="product"):
    return reverse(f"admin:catalog_{model}_{name}", args=args)


def _form_data(response) -> dict:
    """POST data equal to what the change/add form shows (fields and inlines)."""
    data = {}

    def put(form, prefix=""):
        for name, field in form.fields.items():
            key = f"{prefix}{name}"
            value = form[name].value()
            if field.disabled:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for form in formset.initial_forms:
            put(form, f"{form.prefix}-")
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.initial_forms)
    return data


# --- changelist and popup -------------------------------------------------------


def test_changelist_shows_each_role_its_scope(client, mine, theirs, staff, reviewer):
    neighbour = product_with_photo(
        status=S.DRAFT,
        facility=FacilityFactory(region=mine.facility.region),
        name="Paving Tetangga",
    )
    seen = {}
    for label, user in [("staff", staff), ("reviewer", reviewer), ("pusat", head_office_user())]:
        response = _login(client, user).get(_url("changelist"))
        assert response.status_code == 200
        seen[label] = {p.pk for p in response.context["cl"].result_list}
    assert seen["staff"] == {mine.pk}
    assert seen["reviewer"] == {mine.pk, neighbour.pk}
    assert seen["pusat"] == {mine.pk, neighbour.pk, theirs.pk}


def test_raw_id_popup_is_scoped(client, mine, theirs, staff):
    response = _login(client, staff).get(_url("changelist") + "?_popup=1&_to_field=id")
    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [mine.pk]
    assert theirs.name not in response.content.decode()
    response = client.get(_url("changelist", model="productimage") + "?_popup=1&_to_field=id")
    assert {i.product_id for i in response.context["cl"].result_list} == {mine.pk}


def test_changelist_filter_by_facility_id_cannot_widen_scope(client, mine, theirs, staff):
    response = _login(client, staff).get(
        _url("changelist") + f"?facility__id__exact={theirs.facility_id}"
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("rows", [3, 12])
def test_changelist_query_budget(client, facility, staff, rows, django_assert_max_num_queries):
    for n in range(rows):
        product_with_photo(status=S.APPROVED, facility=facility, name=f"Keset Sabut {n}")
    _login(client, staff)
    with django_assert_max_num_queries(14):
        response = client.get(_url("changelist"))
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [2, 10])
def test_review_queue_query_budget_and_order(
    client, facility, reviewer, rows, django_assert_max_num_queries
):
    from django.utils import timezone

    products = [product_with_photo(status=S.PENDING_REVIEW, facility=facility) for _ in range(rows)]
    now = timezone.now()
    for age, product in enumerate(products):
        Product.objects.filter(pk=product.pk).update(
            submitted_at=now - timezone.timedelta(days=age)
        )
    _login(client, reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:catalog_reviewqueueitem_changelist"))
    listed = [p.pk for p in response.context["cl"].result_list]
    assert listed == [p.pk for p in reversed(products)]  # oldest first
    oldest_age = "1\xa0minggu" if rows > 7 else "1\xa0hari"
    assert oldest_age in response.content.decode()


# --- change, delete and history views by URL ----------------------------------------


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_staff_cannot_open_another_facilitys_product(client, mine, theirs, staff, view):
    _login(client, staff)
    assert client.get(_url(view, theirs.pk)).status_code in (403, 404)
    expected = 403 if view == "delete" else 200  # staff never delete products at all
    assert client.get(_url(view, mine.pk)).status_code == expected


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_staff_cannot_open_another_facilitys_photo(client, mine, theirs, staff, view):
    _login(client, staff)
    own, foreign = mine.images.get(), theirs.images.get()
    assert client.get(_url(view, foreign.pk, model="productimage")).status_code == 404
    assert client.get(_url(view, own.pk, model="productimage")).status_code == 200
    assert (
        client.post(_url("delete", foreign.pk, model="productimage"), {"post": "yes"}).status_code
        == 404
    )
    assert ProductImage.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize("view", ["change", "history", "review"])
def test_reviewer_cannot_open_another_regions_product(client, mine, theirs, reviewer, view):
    _login(client, reviewer)
    assert client.get(_url(view, theirs.pk)).status_code == 404
    assert client.get(_url(view, mine.pk)).status_code == 200


def test_staff_deleting_own_photo_sends_listing_back(client, mine, staff):
    image = mine.images.get()
    response = _login(client, staff).post(
        _url("delete", image.pk, model="productimage"), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ProductImage.objects.filter(pk=image.pk).exists()
    mine.refresh_from_db()
    assert mine.status == S.PENDING_REVIEW


# --- tampered POSTs -----------------------------------------------------------------


def test_reviewer_cannot_change_content(client, mine, reviewer):
    _login(client, reviewer)
    response = client.get(_url("change", mine.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    data = {"name": "Diubah oleh peninjau", "price": "1"}
    assert client.post(_url("change", mine.pk), data).status_code == 403
    mine.refresh_from_db()
    assert mine.name == "Tas Rajut Milik Kami" and mine.price == 125_000


def test_staff_post_to_another_facilitys_product_is_404(client, theirs, staff):
    response = _login(client, staff).post(_url("change", theirs.pk), {"name": "X", "price": "1"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Songket Lain"


def test_extra_fields_in_a_change_post_change_nothing(client, mine, theirs, staff):
    _login(client, staff)
    data = _form_data(client.get(_url("change", mine.pk)))
    data.update(
        {
            "status": S.DRAFT,
            "facility": str(theirs.facility_id),
            "approved_at": "",
            "slug": "slug-curian",
            "is_featured": "on",
            "stock": "4",
        }
    )
    response = client.post(_url("change", mine.pk), data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    mine.refresh_from_db()
    assert mine.stock == 4  # the legitimate change went through
    assert (mine.status, mine.facility_id, mine.is_featured) == (
        S.APPROVED,
        mine.facility_id,
        False,
    )
    assert mine.facility.pk != theirs.facility_id and mine.slug != "slug-curian"
    assert mine.approved_at is not None


def test_add_sets_the_facility_and_draft_whatever_is_posted(
    client, facility, other_facility, staff
):
    _login(client, staff)
    response = client.get(_url("add"))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "facility" not in form.fields and "status" not in form.fields
    category = CategoryFactory()
    data = {
        "category": category.pk,
        "name": "Mukena Bordir",
        "description": "Mukena katun dengan bordir tangan.",
        "price": "275000",
        "unit": "pcs",
        "min_order_quantity": "1",
        "stock": "6",
        "weight_grams": "600",
        "facility": other_facility.pk,
        "status": S.APPROVED,
        "images-TOTAL_FORMS": "1",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "images-0-upload": upload(image_bytes(size=(900, 700))),
        "images-0-alt_text": "Mukena putih terlipat",
        "images-0-position": "0",
        "price_tiers-TOTAL_FORMS": "0",
        "price_tiers-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "0",
    }
    response = client.post(_url("add"), data)
    assert response.status_code == 302, response.context["errors"]
    product = Product.objects.get(name="Mukena Bordir")
    assert product.facility == facility and product.status == S.DRAFT
    image = product.images.get()
    assert image.alt_text == "Mukena putih terlipat" and set(image.renditions) == {
        "320",
        "640",
        "1280",
    }


@pytest.mark.parametrize(
    "data,name,message",
    [
        (image_bytes("GIF"), "foto.gif", "JPEG, PNG, atau WebP"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "foto.svg", "JPEG, PNG, atau WebP"),
        (b"teks biasa", "foto.jpg", "JPEG, PNG, atau WebP"),
    ],
)
def test_bad_photo_in_the_admin_is_a_form_error(client, mine, staff, data, name, message):
    _login(client, staff)
    form_data = _form_data(client.get(_url("change", mine.pk)))
    form_data.update(
        {
            "images-TOTAL_FORMS": "2",
            "images-1-upload": upload(data, name),
            "images-1-alt_text": "Foto baru",
            "images-1-position": "1",
        }
    )
    response = client.post(_url("change", mine.pk), form_data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert mine.images.count() == 1
    mine.refresh_from_db()
    assert mine.status == S.APPROVED


def test_approved_change_form_warns_about_rereview_and_shows_history(client, mine, staff):
    from catalog.models import ListingReview

    ListingReview.objects.create(
        product=mine,
        action="approve",
        from_status=S.PENDING_REVIEW,
        to_status=S.APPROVED,
        note="Sudah sesuai",
    )
    response = _login(client, staff).get(_url("change", mine.pk))
    body = response.content.decode()
    assert "antrean tinjauan" in body and "harga dan stok tidak" in body
    assert "Sudah sesuai" in body


def test_content_edit_in_admin_sends_back_but_price_does_not(client, mine, staff):
    _login(client, staff)
    data = _form_data(client.get(_url("change", mine.pk)))
    data["price"] = "110000"
    assert client.post(_url("change", mine.pk), data).status_code == 302
    mine.refresh_from_db()
    assert (mine.price, mine.status) == (110_000, S.APPROVED)
    data["name"] = "Tas Rajut Motif Bunga"
    assert client.post(_url("change", mine.pk), data, follow=True).status_code == 200
    mine.refresh_from_db()
    assert mine.status == S.PENDING_REVIEW
    assert mine.reviews.filter(action="content_changed").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("food_registration", "P-IRT 9999999999999-99"),
        ("halal_certificate", "ID00000000000000000"),
        ("shelf_life_days", "365"),
    ],
)
def test_food_claims_edited_in_admin_send_an_approved_listing_back(
    client, mine, staff, field, value
):
    # Issue 13, finding 6, as it was done: staff edit the food fields of a
    # public listing in its change form.
    _login(client, staff)
    page = client.get(_url("change", mine.pk))
    warning = page.context["rereview_warning"]
    assert str(Product._meta.get_field(field).verbose_name) in warning
    data = _form_data(page)
    data[field] = value
    response = client.post(_url("change", mine.pk), data, follow=True)
    assert response.status_code == 200
    assert "dikembalikan ke antrean tinjauan" in response.content.decode()
    mine.refresh_from_db()
    assert str(getattr(mine, field)) == value
    assert mine.status == S.PENDING_REVIEW
    assert not Product.objects.public().filter(pk=mine.pk).exists()


# --- bulk actions ----------------------------------------------------------------------


def test_submit_action_only_reaches_own_rows(client, facility, other_facility, staff):
    own = product_with_photo(status=S.DRAFT, facility=facility)
    foreign = product_with_photo(status=S.DRAFT, facility=other_facility)
    response = _login(client, staff).post(
        _url("changelist"),
        {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [own.pk, foreign.pk]},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    foreign.refresh_from_db()
    assert own.status == S.PENDING_REVIEW and foreign.status == S.DRAFT


def test_submit_action_refusal_is_a_message(client, mine, staff):
    response = _login(client, staff).post(
        _url("changelist"),
        {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [mine.pk]},
        follow=True,
    )
    assert "tidak dapat diajukan" in response.content.decode()


def test_staff_has_no_review_action_and_cannot_post_it(client, facility, staff):
    product = product_with_photo(status=S.PENDING_REVIEW, facility=facility)
    _login(client, staff)
    actions = client.get(_url("changelist")).context["action_form"].fields["action"].choices
    assert "review_selected" not in {value for value, _ in actions}
    client.post(
        _url("changelist"),
        {
            "action": "review_selected",
            "apply": "1",
            ACTION_CHECKBOX_NAME: [product.pk],
            "decision": "approve",
            "checklist": list(CHECKLIST),
        },
    )
    product.refresh_from_db()
    assert product.status == S.PENDING_REVIEW
    assert client.get(_url("review", product.pk)).status_code == 403
    assert client.get(reverse("admin:catalog_reviewqueueitem_changelist")).status_code == 403


def test_bulk_review_approves_own_region_only(client, facility, other_facility, reviewer):
    own = [product_with_photo(status=S.PENDING_REVIEW, facility=facility) for _ in range(2)]
    foreign = product_with_photo(status=S.PENDING_REVIEW, facility=other_facility)
    _login(client, reviewer)
    ids = [p.pk for p in own] + [foreign.pk]
    url = reverse("admin:catalog_reviewqueueitem_changelist")
    # First the confirmation page, with the note field and checklist.
    response = client.post(url, {"action": "review_selected", ACTION_CHECKBOX_NAME: ids})
    assert response.status_code == 200
    assert {p.pk for p in response.context["products"]} == {p.pk for p in own}
    response = client.post(
        url,
        {
            "action": "review_selected",
            "apply": "1",
            ACTION_CHECKBOX_NAME: ids,
            "decision": "approve",
            "checklist": list(CHECKLIST),
            "note": "",
        },
    )
    assert response.status_code == 302
    for product in own:
        product.refresh_from_db()
        assert product.status == S.APPROVED
    foreign.refresh_from_db()
    assert foreign.status == S.PENDING_REVIEW


def test_single_review_sends_back_with_note(client, facility, reviewer):
    product = product_with_photo(status=S.PENDING_REVIEW, facility=facility)
    _login(client, reviewer)
    url = _url("review", product.pk)
    response = client.post(url, {"decision": "request_changes", "note": ""})
    assert response.status_code == 200 and "Tulis catatan" in response.content.decode()
    response = client.post(url, {"decision": "request_changes", "note": "Foto kedua buram."})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == S.CHANGES_REQUESTED
    assert product.reviews.get().note == "Foto kedua buram."


def test_single_review_incomplete_checklist_is_a_message(client, facility, reviewer):
    product = product_with_photo(status=S.PENDING_REVIEW, facility=facility)
    response = _login(client, reviewer).post(
        _url("review", product.pk), {"decision": "approve", "checklist": ["photos_clear"]}
    )
    assert response.status_code == 200
    assert "Daftar periksa belum lengkap" in response.content.decode()
    product.refresh_from_db()
    assert product.status == S.PENDING_REVIEW


# --- autocomplete and foreign-key choices -----------------------------------------------


def test_autocomplete_endpoint_is_scoped(client, mine, theirs, staff, reviewer):
    url = reverse("admin:autocomplete")
    params = {
        "app_label": "catalog",
        "model_name": "productimage",
        "field_name": "product",
        "term": "",
    }
    for user, expected in [(staff, {str(mine.pk)}), (reviewer, {str(mine.pk)})]:
        response = _login(client, user).get(url, params)
        assert response.status_code == 200
        assert {row["id"] for row in json.loads(response.content)["results"]} == expected
    params = {"app_label": "catalog", "model_name": "product", "field_name": "facility", "term": ""}
    response = _login(client, staff).get(url, params)
    assert {row["id"] for row in json.loads(response.content)["results"]} == {str(mine.facility_id)}


def test_foreign_key_choices_are_scoped(mine, theirs, staff, reviewer):
    from django.contrib import admin as django_admin

    request = RequestFactory().get("/")
    product_admin = ProductAdmin(Product, django_admin.site)
    image_admin = ProductImageAdmin(ProductImage, django_admin.site)
    for user, facilities in [
        (staff, {mine.facility_id}),
        (reviewer, {mine.facility_id}),
        (head_office_user(), {mine.facility_id, theirs.facility_id}),
    ]:
        request.user = user
        field = product_admin.formfield_for_foreignkey(Product._meta.get_field("facility"), request)
        assert set(field.queryset.values_list("pk", flat=True)) == facilities
        field = image_admin.formfield_for_foreignkey(
            ProductImage._meta.get_field("product"), request
        )
        assert set(field.queryset.values_list("facility_id", flat=True)) == facilities


@pytest.mark.parametrize("photos", [1, 6])
def test_change_view_query_budget(client, facility, staff, photos, django_assert_max_num_queries):
    from catalog.services import product_image_add

    product = product_with_photo(status=S.APPROVED, facility=facility)
    for n in range(photos - 1):
        product_image_add(
            product=product,
            upload=upload(image_bytes(size=(200, 150))),
            alt_text=f"Foto {n}",
            actor=None,
        )
    _login(client, staff)
    with django_assert_max_num_queries(24):
        response = client.get(_url("change", product.pk))
    assert response.status_code == 200
    assert response.content.decode().count('width="96"') == photos


@pytest.mark.parametrize("rows", [1, 8])
def test_bulk_review_page_query_budget(
    client, facility, reviewer, rows, django_assert_max_num_queries
):
    ids = [product_with_photo(status=S.PENDING_REVIEW, facility=facility).pk for _ in range(rows)]
    _login(client, reviewer)
    # +1: the inbox counts of the header badge (facilities.inbox), one query.
    with django_assert_max_num_queries(17):
        response = client.post(
            reverse("admin:catalog_reviewqueueitem_changelist"),
            {"action": "review_selected", ACTION_CHECKBOX_NAME: ids},
        )
    assert len(response.context["products"]) == rows
