"""A drill: the same sale sent twice at the same moment (a double tap that
reaches two workers) is one movement, because the report's key is claimed
before the movement is written. The control sends the same sale twice
without a key, as the admin's plain form would: two movements, the outlet's
holding down twice. Each on its own connection, started together."""

import pytest

from catalog import services as catalog_services
from catalog.models import ConsignmentMovement
from partners import services
from tests.orders.concurrency_helpers import run_together

pytestmark = pytest.mark.django_db(transaction=True)
KEY = "d" * 32


def test_two_simultaneous_reports_with_one_key_are_one_sale(acun):
    _outlet, link, _staff, account = acun

    def tap():
        return services.outlet_report(
            account=account, kind="sold", link=link, quantity=2, unit_price=90_000, key=KEY
        )

    results = run_together([tap, tap])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {movement.pk for movement, _created in results} == {
        ConsignmentMovement.objects.get(kind="sold").pk
    }
    assert sorted(created for _movement, created in results) == [False, True]
    link.refresh_from_db()
    assert (link.on_hand, link.sold) == (3, 2)


def test_control_without_the_key_the_same_sale_counts_twice(acun):
    _outlet, link, staff, _account = acun

    def tap():
        return catalog_services.consignment_record(
            kind="sold", link=link, quantity=2, actor=staff, unit_price=90_000
        )

    results = run_together([tap, tap])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert ConsignmentMovement.objects.filter(kind="sold").count() == 2
    link.refresh_from_db()
    assert (link.on_hand, link.sold) == (1, 4)
