"""The officer's inbox (facilities.inbox): each role finds its work with its
deadline, never another facility's or region's, late work reaches the Kanwil
and head office, and the page and the header badge cost a fixed number of
queries whatever the number of items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities.inbox import inbox_for
from facilities.scoping import scope_for
from tests.factories import FacilityFactory, facility_staff, head_office_user, regional_reviewer
from tests.inbox_seed import FACILITY_KINDS, REGION_KINDS, seed_work

pytestmark = pytest.mark.django_db


def _kinds(user, **kw):
    inbox = inbox_for(user, scope_for(user), **kw)
    return {s.key: s for s in inbox.sections if s.count}


def test_facility_staff_see_each_kind_of_their_work_with_its_deadline(facility, other_facility):
    mine = seed_work(facility)
    seed_work(other_facility)
    staff = facility_staff(facility)
    sections = _kinds(staff)
    assert set(sections) == set(FACILITY_KINDS)
    for key in FACILITY_KINDS:
        section = sections[key]
        assert section.count == 1, key
        (item,) = section.items
        assert item.facility == facility
        if key != "listings_sent_back":  # sent back: the facility's own pace
            assert item.deadline is not None, key
    # Deadlines are the rules' own: the data request's stored 3x24 hours, the
    # complaint's answer_due_at.
    assert sections["privacy"].items[0].deadline == mine["privacy"].due_at
    assert sections["complaints"].items[0].deadline == mine["complaints"].answer_due_at


def test_no_item_of_another_facility_ever_appears(client, facility, other_facility):
    """Try to cross: the other facility's rows exist in every kind, the officer
    asks for that facility by its id, and the page is searched for its names."""
    theirs = seed_work(other_facility, tag="LAIN")
    staff = facility_staff(facility)
    assert _kinds(staff) == {}
    assert _kinds(staff, facility_id=other_facility.pk) == {}
    client.force_login(staff)
    page = client.get(reverse("kb_inbox"), {"upt": other_facility.pk}).content.decode()
    codes = [row.code for row in theirs.values() if hasattr(row, "code")]
    assert codes and not [code for code in codes if code in page]
    assert "LAIN" not in page
    assert "Tidak ada tugas yang menunggu Anda" in page


def test_reviewer_sees_the_regions_review_work_and_late_facility_work(facility, other_facility):
    seed_work(facility)  # on time: only the Kanwil's own kinds reach it
    seed_work(other_facility)  # another region
    reviewer = regional_reviewer(facility.region)
    sections = _kinds(reviewer)
    assert set(sections) == set(REGION_KINDS)
    assert all(i.facility == facility for s in sections.values() for i in s.items)


def test_overdue_items_reach_the_kanwils_and_head_offices_inbox(facility, other_facility):
    seed_work(facility, late=True)
    seed_work(other_facility)  # another region, on time
    reviewer = regional_reviewer(facility.region)
    sections = _kinds(reviewer)
    # Every facility kind with a deadline, late, is on the Kanwil's list; the
    # listings sent back have none and stay with the facility.
    late_kinds = set(FACILITY_KINDS) - {"listings_sent_back"}
    assert set(sections) == late_kinds | set(REGION_KINDS)
    for key in late_kinds:
        assert sections[key].late_only and sections[key].late == sections[key].count == 1, key
        assert sections[key].items[0].overdue, key
    inbox = inbox_for(reviewer, scope_for(reviewer))
    assert set(inbox.late_by_facility) == {facility.pk}
    national = _kinds(head_office_user())
    assert late_kinds <= set(national)
    assert all(i.facility == facility for k in late_kinds for i in national[k].items)


def test_another_regions_reviewer_sees_nothing_of_it(facility):
    seed_work(facility, late=True)
    stranger = regional_reviewer(FacilityFactory().region)
    assert _kinds(stranger) == {}


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("who", ["staff", "reviewer", "national"])
def test_inbox_page_and_badge_cost_the_same_whatever_the_number_of_items(client, facility, who):
    user = {
        "staff": lambda: facility_staff(facility),
        "reviewer": lambda: regional_reviewer(facility.region),
        "national": head_office_user,
    }[who]()
    seed_work(facility, late=True)
    client.force_login(user)
    page_one, response = _queries(client, reverse("kb_inbox"))
    assert 'id="kb-inbox-link"' in response.content.decode()
    badge_one, _ = _queries(client, reverse("admin:password_change"))
    for n in range(4):
        seed_work(facility, late=True, tag=f"n{n}")
    page_many, response = _queries(client, reverse("kb_inbox"))
    badge_many, _ = _queries(client, reverse("admin:password_change"))
    assert page_many == page_one, "the inbox's queries grow with its items"
    assert badge_many == badge_one, "the header badge's queries grow with the items"
    # The budget: session + user + membership + permissions (2) + counts (1)
    # + one per kind of work shown + late facilities (1).
    assert page_one <= 18
    print(f"\n{who}: inbox page {page_one} queries, a page with the badge {badge_one}")


def test_the_badge_counts_in_one_query(facility):
    seed_work(facility, late=True)
    staff = facility_staff(facility)
    scope_for(staff)
    staff.get_all_permissions()
    with CaptureQueriesContext(connection) as ctx:
        inbox = inbox_for(staff, scope_for(staff), with_items=False)
    assert len(ctx.captured_queries) == 1
    assert inbox.count == len(FACILITY_KINDS)
