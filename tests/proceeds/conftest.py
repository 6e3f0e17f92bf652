"""A small world for the proceeds ledger: two Kanwil, a facility in each with
its shares, a Bapas client's enterprise beside the first, and a sales channel
registered by the test (the way the stand till registers "stand")."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import OutletProduct
from catalog.services import consignment_hand_over, consignment_report_sold
from core import sales_channels
from core.sales_channels import ChannelSales
from facilities.models import Facility, ProceedsShare
from orders.models import Order, OrderStatus
from proceeds.models import WorkProgramme
from proceeds.months import add_months, month_start_at, this_month
from tests.factories import FacilityFactory, PartnerOutletFactory, RegionFactory, make_order
from tests.oversight.factories import ProductFactory

LAST_MONTH = add_months(this_month(), -1)
IN_LAST_MONTH = month_start_at(LAST_MONTH) + timedelta(days=3)


def pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n% bukti uji\n", content_type="application/pdf")


@pytest.fixture
def channel(monkeypatch):
    """A registered channel "uji"; tests set its sales: {facility_id: [(day, items, rupiah)]}."""
    monkeypatch.setattr(sales_channels, "_CHANNELS", {})
    sold: dict[int, list[tuple]] = {}

    def read(first, last, facility_ids):
        for facility_id, rows in sold.items():
            if facility_ids is not None and facility_id not in facility_ids:
                continue
            for day, items, revenue in rows:
                if first <= day <= last:
                    yield ChannelSales(
                        facility_id=facility_id, day=day, items=items, revenue=revenue
                    )

    sales_channels.register_channel("uji", "Stand uji", read)
    return sold


def _shares(facility, premi="40", pnbp="10", materials="20"):
    for position, (name, percent) in enumerate(
        [("Premi warga binaan", premi), ("PNBP", pnbp), ("Bahan baku", materials)]
    ):
        ProceedsShare.objects.create(
            facility=facility, name=name, percent=Decimal(percent), position=position
        )


@pytest.fixture
def ledger_world(db, media, channel):
    sultra = RegionFactory(name="Kanwil Sulawesi Tenggara", slug="kanwil-sultra-h")
    sumsel = RegionFactory(name="Kanwil Sumatera Selatan", slug="kanwil-sumsel-h")
    kendari = FacilityFactory(region=sultra, name="Lapas Kendari", slug="lapas-kendari-h")
    palembang = FacilityFactory(region=sumsel, name="Lapas Palembang", slug="lapas-palembang-h")
    usaha = FacilityFactory(
        region=sultra, kind=Facility.Kind.ENTERPRISE, name="Usaha Tenun Bu A", slug="usaha-a-h"
    )
    for facility in (kendari, palembang, usaha):
        _shares(facility)
    tas = ProductFactory(facility=kendari, price=100_000, stock=50)
    # Last month at Kendari: a retail web order, an institutional one, a
    # cancelled one (never a sale), consignment and the registered channel.
    make_order(kendari, lines=[(tas, 3)], created_at=IN_LAST_MONTH)
    institutional = make_order(kendari, lines=[(tas, 2)], created_at=IN_LAST_MONTH)
    Order.objects.filter(pk=institutional.pk).update(buyer_organisation="Dinas Koperasi")
    make_order(kendari, status=OrderStatus.CANCELLED, lines=[(tas, 9)], created_at=IN_LAST_MONTH)
    outlet = PartnerOutletFactory(facility=kendari)
    link = OutletProduct.objects.create(outlet=outlet, product=tas)
    consignment_hand_over(link=link, quantity=4, actor=None)
    consignment_report_sold(
        link=link, quantity=1, actor=None, unit_price=90_000, occurred_on=LAST_MONTH
    )
    channel[kendari.pk] = [(LAST_MONTH + timedelta(days=9), 2, 60_000)]
    # The enterprise sells too: its money is the client's, never in the ledger.
    kain = ProductFactory(facility=usaha, price=250_000, stock=10)
    make_order(usaha, lines=[(kain, 2)], created_at=IN_LAST_MONTH)
    channel[usaha.pk] = [(LAST_MONTH, 1, 40_000)]
    programme = WorkProgramme.objects.create(facility=kendari, name="Tenun")
    return {
        "sultra": sultra,
        "sumsel": sumsel,
        "kendari": kendari,
        "palembang": palembang,
        "usaha": usaha,
        "programme": programme,
        "product": tas,
        # 300.000 retail + 200.000 institutional + 90.000 consignment + 60.000 stand
        "sales": 650_000,
    }
