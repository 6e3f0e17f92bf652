"""Nobody reviews a listing of their own facility, whatever permissions or
flags their account carries: the rule lives in the listing service, so the
admin's review page, its bulk action and any other caller obey it.

The attack it answers: head office handed a facility officer the review
permission through Django's user admin, and the officer approved their own
listing. Here the officer holds that permission (granted raw, as then)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.urls import reverse

from catalog import services
from catalog.models import ListingReview, ListingStatus
from facilities.models import Membership
from tests.catalog.listing_factories import product_with_photo
from tests.factories import UserFactory, facility_staff, head_office_user, regional_reviewer

S = ListingStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

FULL_CHECKLIST = {key: True for key in services.CHECKLIST}
OWN_FACILITY = "listing UPT Anda sendiri"


@pytest.fixture
def pending(facility):
    return product_with_photo(status=S.PENDING_REVIEW, facility=facility)


@pytest.fixture
def officer_with_review_permission(facility):
    officer = facility_staff(facility)
    officer.user_permissions.add(
        Permission.objects.get(content_type__app_label="catalog", codename="review_product")
    )
    officer = type(officer).objects.get(pk=officer.pk)  # fresh permission cache
    assert officer.has_perm("catalog.review_product")
    return officer


def _unchanged(product):
    product.refresh_from_db()
    return (
        product.status == S.PENDING_REVIEW
        and not ListingReview.objects.filter(product=product)
        .exclude(action=ListingReview.Action.SUBMIT)
        .exists()
    )


@pytest.mark.parametrize(
    "decide",
    [
        lambda p, a: services.listing_approve(product=p, actor=a, checklist=FULL_CHECKLIST),
        lambda p, a: services.listing_request_changes(product=p, actor=a, note="Perbaiki."),
        lambda p, a: services.listing_reject(product=p, actor=a, note="Tidak layak."),
    ],
    ids=["approve", "request_changes", "reject"],
)
def test_officer_with_review_permission_cannot_decide_own_listing(
    pending, officer_with_review_permission, decide
):
    with pytest.raises(services.ListingPermissionError, match=OWN_FACILITY):
        decide(pending, officer_with_review_permission)
    assert _unchanged(pending)


def test_a_superuser_working_at_the_facility_cannot_approve_its_listing(pending, facility):
    root = UserFactory(is_superuser=True)
    Membership.objects.create(user=root, role=Membership.Role.FACILITY_STAFF, facility=facility)
    with pytest.raises(services.ListingPermissionError, match=OWN_FACILITY):
        services.listing_approve(product=pending, actor=root, checklist=FULL_CHECKLIST)
    assert _unchanged(pending)


def test_the_regions_reviewer_still_approves(pending):
    """Control: the rule stops the facility's own people, not the reviewer."""
    services.listing_approve(
        product=pending, actor=regional_reviewer(pending.facility.region), checklist=FULL_CHECKLIST
    )
    pending.refresh_from_db()
    assert pending.status == S.APPROVED


def test_own_listing_cannot_be_approved_through_the_admin_review_page(
    client, pending, officer_with_review_permission
):
    client.force_login(officer_with_review_permission)
    response = client.post(
        reverse("admin:catalog_product_review", args=[pending.pk]),
        {"decision": "approve", "checklist": list(services.CHECKLIST), "note": ""},
    )
    assert response.status_code == 200
    assert OWN_FACILITY in response.content.decode()
    assert _unchanged(pending)


@pytest.mark.parametrize("model", ["product", "reviewqueueitem"])
def test_own_listing_cannot_be_approved_through_the_bulk_action(
    client, pending, officer_with_review_permission, model
):
    client.force_login(officer_with_review_permission)
    response = client.post(
        reverse(f"admin:catalog_{model}_changelist"),
        {
            "action": "review_selected",
            "apply": "1",
            ACTION_CHECKBOX_NAME: [pending.pk],
            "decision": "approve",
            "checklist": list(services.CHECKLIST),
            "note": "",
        },
        follow=True,
    )
    assert OWN_FACILITY in response.content.decode()
    assert _unchanged(pending)


# Four eyes per person: whoever sent a listing to review does not judge it,
# even with national scope (head office can edit a listing, or sign in as an
# officer after setting the officer's password).
OWN_SUBMISSION = "yang Anda ajukan atau ubah sendiri"


def test_head_office_cannot_approve_a_listing_it_submitted(facility):
    boss = head_office_user()
    draft = product_with_photo(facility=facility)
    services.listing_submit(product=draft, actor=boss)
    with pytest.raises(services.ListingPermissionError, match=OWN_SUBMISSION):
        services.listing_approve(product=draft, actor=boss, checklist=FULL_CHECKLIST)
    assert _unchanged(draft)
    # Control: another head office account approves the same listing.
    services.listing_approve(product=draft, actor=head_office_user(), checklist=FULL_CHECKLIST)
    draft.refresh_from_db()
    assert draft.status == S.APPROVED


def test_the_reviewer_who_submitted_as_an_officer_cannot_approve(facility):
    """The account that sent the listing (here: signed in as the officer and
    then given review rights) is refused; the region's other reviewer is not."""
    officer = facility_staff(facility)
    draft = product_with_photo(facility=facility)
    services.listing_submit(product=draft, actor=officer)
    reviewer = regional_reviewer(facility.region)
    ListingReview.objects.filter(product=draft).update(actor=reviewer)
    with pytest.raises(services.ListingPermissionError, match=OWN_SUBMISSION):
        services.listing_approve(product=draft, actor=reviewer, checklist=FULL_CHECKLIST)
    assert _unchanged(draft)
