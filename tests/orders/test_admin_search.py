"""The order desk's search by phone stays inside the list the user is looking
at: their scope and every active filter. The attack it answers: searching a
phone number on a filtered list (one status, one facility) listed the
shopper's other orders too, filters ignored."""

import pytest

from orders import services
from orders.models import OrderStatus
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory, place

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/orders/order/"
PHONE_AS_TYPED = "0812-3456-7890"  # the shopper's +6281234567890, as staff type it


@pytest.fixture
def orders(mukena, miniature, palembang):
    """Three orders of one shopper: two at Palembang (one cancelled), one at Raha."""
    open_order = place([(mukena, 1)]).orders[0]
    cancelled = place([(ProductFactory(facility=palembang, stock=3), 1)]).orders[0]
    services.order_cancel(order=cancelled, by_shopper=True)
    elsewhere = place([(miniature, 1)]).orders[0]
    return open_order, cancelled, elsewhere


def _codes(client, **params):
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return {order.code for order in response.context["cl"].result_list}


def test_phone_search_keeps_the_status_filter(client, orders):
    open_order, cancelled, elsewhere = orders
    client.force_login(head_office_user())
    assert _codes(client, q=PHONE_AS_TYPED) == {o.code for o in orders}
    assert _codes(client, q=PHONE_AS_TYPED, status__exact=OrderStatus.CANCELLED) == {cancelled.code}


def test_phone_search_keeps_the_facility_filter(client, orders):
    open_order, cancelled, elsewhere = orders
    client.force_login(head_office_user())
    assert _codes(client, q=PHONE_AS_TYPED, facility__id__exact=elsewhere.facility_id) == {
        elsewhere.code
    }


def test_phone_search_stays_in_scope_with_a_filter(client, orders):
    open_order, cancelled, elsewhere = orders
    client.force_login(facility_staff(open_order.facility))
    assert _codes(client, q=PHONE_AS_TYPED) == {open_order.code, cancelled.code}
    assert _codes(client, q=PHONE_AS_TYPED, status__exact=OrderStatus.CANCELLED) == {cancelled.code}
    client.force_login(regional_reviewer(elsewhere.facility.region))
    assert _codes(client, q=PHONE_AS_TYPED) == {elsewhere.code}
    assert _codes(client, q=PHONE_AS_TYPED, status__exact=OrderStatus.CANCELLED) == set()


def test_search_by_code_or_name_is_unchanged(client, orders):
    open_order, cancelled, elsewhere = orders
    client.force_login(head_office_user())
    assert _codes(client, q=open_order.code) == {open_order.code}
    assert _codes(client, q="Siti", status__exact=OrderStatus.CANCELLED) == {cancelled.code}
