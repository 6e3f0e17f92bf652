"""Head office reads the daily books on a 360 px phone and at 1366 px: from
the dashboard's link to a day with a difference and what to do about it, then
to the settlement-report desk. No sideways scroll, 44 px targets, no English."""

from __future__ import annotations

import pytest

from orders.payments.models import SettlementEntry
from tests.browser.test_workplace_journeys import DESKTOP, PHONE, Desk
from tests.factories import head_office_user
from tests.orders.factories import ProductFactory, shop
from tests.oversight.books_helpers import paid_checkout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def books_setup(media, transactional_db, settings):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-UJI-KEY"
    settings.MIDTRANS_BASE_URL = "http://127.0.0.1:9/v-unused"
    long_name = shop(name="Lembaga Pembinaan Khusus Anak Kelas I Palembang", slug="lpka-buku")
    kendari = shop(name="Lapas Kendari", slug="lapas-kendari-buku")
    paid_checkout([(ProductFactory(facility=kendari, price=175_000, stock=5), 1)])
    result, _payment = paid_checkout(
        [(ProductFactory(facility=long_name, price=1_250_000, stock=5), 1)]
    )
    SettlementEntry.objects.filter(order=result.orders[0]).delete()
    return result.orders[0]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone360", "desktop1366"])
def test_head_office_reads_the_days_books_and_what_to_do(chromium, live_server, books_setup, size):
    boss = head_office_user()
    desk = Desk(chromium, live_server.url, "books", size)
    page = desk.page
    try:
        desk.login(boss.username)
        desk.tap(page.get_by_role("link", name="Pemeriksaan pembukuan"), "books page")
        assert "1 hari tidak seimbang" in page.locator("#kb-books-summary").inner_text()
        difference = page.locator(".kb-difference").first
        assert books_setup.code in difference.inner_text()
        assert "Yang harus dilakukan" in difference.inner_text()
        box = difference.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= desk.width, box
        upload = page.locator("#content-main").get_by_role("link", name="Impor laporan settlement")
        desk.tap(upload, "upload desk")
        assert page.locator("input[type=file]").count() == 1
    finally:
        desk.close()
