from datetime import timedelta

import pytest
from django.utils import timezone

from facilities.models import ProceedsShare
from orders.models import OrderStatus
from oversight.periods import add_months, month_start_at, this_month
from tests.factories import FacilityFactory, RegionFactory
from tests.oversight.factories import ProductFactory, make_order


@pytest.fixture
def world(db):
    """Two regions; in each a facility with sales in every status, this month and last.

    Distinct amounts per region, so a number leaking across regions shows up.
    """
    now = timezone.now()
    this_start = month_start_at(this_month())
    last_month = month_start_at(add_months(this_month(), -1)) + timedelta(days=3)
    # A moment safely inside this month, even on the 1st just after midnight.
    this_moment = max(this_start + timedelta(minutes=5), now - timedelta(hours=1))

    sultra = RegionFactory(name="Kanwil Sulawesi Tenggara", slug="kanwil-sultra")
    sumsel = RegionFactory(name="Kanwil Sumatera Selatan", slug="kanwil-sumsel")
    kendari = FacilityFactory(region=sultra, name="Lapas Kendari", slug="lapas-kendari-o")
    palembang = FacilityFactory(
        region=sumsel, name="Lapas Perempuan Palembang", slug="lapas-palembang-o"
    )
    bag = ProductFactory(facility=kendari, name="Tas Rajut Kendari", price=125_000)
    mini = ProductFactory(facility=kendari, name="Miniatur Kapal Jati", price=350_000)
    songket = ProductFactory(facility=palembang, name="Songket Palembang", price=777_000)

    orders = {
        # Sales in Kendari: two this month, one last month.
        "k_done": make_order(
            kendari, lines=[(bag, 2), (mini, 1)], shipping=20_000, created_at=this_moment
        ),
        "k_paid": make_order(
            kendari, status=OrderStatus.PAID, lines=[(bag, 1)], created_at=this_moment
        ),
        "k_last": make_order(
            kendari,
            status=OrderStatus.SHIPPED,
            lines=[(mini, 3)],
            shipping=35_000,
            created_at=last_month,
        ),
        # Not sales: cancelled, expired, still awaiting payment.
        "k_cancelled": make_order(
            kendari, status=OrderStatus.CANCELLED, lines=[(mini, 5)], created_at=this_moment
        ),
        "k_expired": make_order(
            kendari, status=OrderStatus.EXPIRED, lines=[(bag, 4)], created_at=this_moment
        ),
        "k_waiting": make_order(
            kendari,
            status=OrderStatus.AWAITING_PAYMENT,
            lines=[(bag, 1)],
            created_at=this_moment,
            payment_deadline=now + timedelta(hours=12),
        ),
        # Palembang: one big sale this month.
        "p_done": make_order(
            palembang, lines=[(songket, 3)], shipping=55_000, created_at=this_moment
        ),
    }
    ProceedsShare.objects.create(facility=kendari, name="Premi warga binaan", percent=50)
    ProceedsShare.objects.create(facility=kendari, name="PNBP", percent="12.5", position=1)
    return {
        "sultra": sultra,
        "sumsel": sumsel,
        "kendari": kendari,
        "palembang": palembang,
        "bag": bag,
        "mini": mini,
        "songket": songket,
        "orders": orders,
    }
