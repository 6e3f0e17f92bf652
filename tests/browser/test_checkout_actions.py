"""How many actions a shopper on a 360 px phone needs from the home page to a
paid two-facility order, with JavaScript and without (issue 30: 25 actions
when it was filed; the goal is at most 12). The journey fails when the count
grows past its budget.

What counts as an action: one tap on a link, button, radio or checkbox; one
text field filled (typing one value); one choice in a select. Not counted:
scrolling (the shopper's thumb, not a decision), waiting for a page, and the
home page's first load. Nothing is reached by typing an address: every page
after the home page is reached by tapping. Paying is two actions, as in a
bank app (open the payment, confirm it): the simulator's link and its button.
"""

from __future__ import annotations

import pytest

from catalog.models import ListingStatus
from facilities.models import Facility
from orders.models import Order, OrderStatus
from tests.browser.address_steps import TEBET
from tests.browser.conftest import Journey
from tests.catalog.listing_factories import product_with_photo
from tests.orders.factories import shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}
BEFORE = 25  # measured when issue 30 was filed (JavaScript on)
GOAL = 12
# What this branch needs today (see the report in docs/checkout.md); lower it
# as the journey gets shorter, never raise it without saying why.
BUDGET = {"js": 12, "nojs": 17}


class Actions:
    """The shopper's hands: every call is one counted action, logged."""

    def __init__(self, page):
        self.page = page
        self.log: list[str] = []

    def tap(self, locator, what: str, *, navigates: bool = False) -> None:
        self.log.append(f"tap {what}")
        if navigates:
            with self.page.expect_navigation():
                locator.click()
        else:
            locator.click()

    def fill(self, selector: str, value: str, what: str) -> None:
        self.log.append(f"fill {what}")
        self.page.fill(selector, value)

    def choose(self, selector: str, value: str, what: str) -> None:
        self.log.append(f"choose {what}")
        self.page.wait_for_selector(f"{selector} option[value='{value}']", state="attached")
        self.page.select_option(selector, value)

    @property
    def count(self) -> int:
        return len(self.log)


@pytest.fixture
def simulator(live_server, settings):
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = live_server.url + "/_simulator/midtrans"
    settings.SITE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return live_server


@pytest.fixture
def two_shops(media):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    palembang = shop(name="Lapas Perempuan Palembang", slug="lapas-perempuan-palembang")
    raha = shop(name="Rutan Raha", slug="rutan-raha", timezone=Facility.TimeZone.WITA)
    return (
        product_with_photo(
            status=ListingStatus.APPROVED,
            facility=palembang,
            name="Mukena Bordir Palembang",
            price=175_000,
            stock=5,
        ),
        product_with_photo(
            status=ListingStatus.APPROVED,
            facility=raha,
            name="Miniatur Kapal Jati",
            price=350_000,
            stock=3,
            weight_grams=1_800,
        ),
    )


def _journey(chromium, simulator, name: str, *, scripted: bool) -> tuple[Journey, Actions]:
    context = chromium.new_context(locale="id-ID", java_script_enabled=scripted, **PHONE_360)
    context.set_default_timeout(30_000)
    journey = Journey(context, simulator.url, name, "phone360")
    return journey, Actions(journey.page)


def _home_to_paid(journey: Journey, act: Actions, products, *, scripted: bool) -> None:
    page = journey.page
    journey.visit("/", "home")  # the first load: not an action
    if scripted:
        # "+ Keranjang" on each card of the home page: one tap, the shopper
        # stays on the list; the notice then leads straight on to checkout.
        for n, product in enumerate(products, 1):
            card = page.locator("article.product-card", has_text=product.name).first
            act.tap(card.locator("a.quick-add"), "+ Keranjang on home")
            page.wait_for_function(
                "n => (document.querySelector('.cart-count') || {}).textContent === `(${n})`",
                arg=n,
            )
        act.tap(
            page.locator("#cart-notice").get_by_role("link", name="Checkout"),
            "checkout",
            navigates=True,
        )
    else:
        # Without JavaScript the card's link opens the small per-visitor buy
        # page (lists are shared, without CSRF tokens); its POST goes on to
        # the cart.
        for n, product in enumerate(products):
            if n:
                act.tap(page.locator("a.brand"), "home (header)", navigates=True)
            card = page.locator("article.product-card", has_text=product.name).first
            act.tap(card.locator("a.quick-add"), "+ Keranjang on home", navigates=True)
            act.tap(page.get_by_role("button", name="Masukkan keranjang"), "add", navigates=True)
        act.tap(page.locator("a.cart-link"), "cart (header)", navigates=True)
        act.tap(page.get_by_role("link", name="Lanjut ke checkout"), "checkout", navigates=True)
    journey.check("checkout")

    act.fill("#id_c-name", "Siti Aminah", "name")
    act.fill("#id_c-phone", "0812-3456-7890", "phone")
    # The address in one choice: the village found by name (the four
    # selects stay for those who prefer them).
    act.fill("#id_a-search", "tebet barat", "village search")
    if not scripted:
        act.tap(page.locator("#alamat").get_by_role("button", name="Cari"), "Cari", navigates=True)
    act.tap(
        page.locator(".region-result", has_text="Tebet Barat, Tebet"),
        "village found",
        navigates=not scripted,
    )
    page.wait_for_function("() => document.getElementById('id_a-postal_code').value !== ''")
    for selector, code in TEBET:
        assert page.locator(selector).input_value() == code
    if scripted:
        # The couriers arrive in place, the cheapest chosen: nothing to tap.
        for product in products:
            pk = product.facility_id
            page.wait_for_selector(f"input[name='f{pk}-courier']:checked", state="attached")
    act.fill("#id_a-street", "Jl. Tebet Raya No. 5", "street")
    journey.check("checkout filled")
    act.tap(page.locator("#id_p-agree"), "consent")
    act.tap(page.get_by_role("button", name="Buat pesanan"), "place", navigates=True)
    journey.check("payment page")

    act.tap(page.get_by_role("link", name="Bayar di simulator"), "open payment", navigates=True)
    act.tap(page.get_by_role("button", name="(simulasi)"), "pay", navigates=True)
    journey.check("paid")
    assert page.locator("#pay-title").inner_text() == "Dibayar"
    orders = list(Order.objects.all())
    assert len(orders) == 2 and {o.status for o in orders} == {OrderStatus.PAID}


@pytest.mark.parametrize("mode", ["js", "nojs"])
def test_home_to_a_paid_two_facility_order_in_few_actions(chromium, simulator, two_shops, mode):
    journey, act = _journey(chromium, simulator, f"actions-{mode}", scripted=mode == "js")
    try:
        _home_to_paid(journey, act, two_shops, scripted=mode == "js")
    finally:
        journey.context.close()
    print(f"\n{mode}: {act.count} actions (before: {BEFORE}, goal: {GOAL})")
    print("\n".join(f"  {n:2}. {line}" for n, line in enumerate(act.log, 1)))
    assert act.count <= BUDGET[mode], act.log
