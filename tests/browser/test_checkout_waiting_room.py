"""The checkout's waiting room on a 360 px phone (orders/checkout_gate.py):
a shopper in a crowd adds a unit (held for them), is told at the checkout
when their turn is, and the page goes on to the form by itself at that time,
with or without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import CheckoutQueue
from tests.browser.cart_steps import add_to_cart
from tests.browser.test_phone_layout import _phone
from tests.catalog.listing_factories import product_with_photo
from tests.orders.factories import shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False])
def test_a_shopper_waits_their_turn_and_the_page_goes_on_by_itself(
    chromium, live_server, media, settings, javascript
):
    settings.CHECKOUT_ADMISSIONS_PER_SECOND = 1
    product = product_with_photo(
        status="approved", facility=shop(), name="Mukena Bordir Obral", price=125_000
    )
    # The crowd ahead: the next free turn is three seconds from now.
    CheckoutQueue.objects.create(
        name="checkout", next_turn_at=timezone.now() + timedelta(seconds=3)
    )
    context, journey = _phone(
        chromium,
        live_server,
        f"waiting_room_{'js' if javascript else 'nojs'}",
        javascript=javascript,
    )
    page = journey.page
    try:
        journey.visit(product.get_absolute_url(), "product")
        add_to_cart(page)
        journey.visit("/checkout/", "waiting room")
        room = page.locator("[data-antrean]")
        assert room.is_visible()
        text = room.inner_text()
        assert "Giliran Anda sekitar" in text and "tetap disimpan untuk Anda" in text
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        # The meta refresh brings the form at the turn: no tap needed.
        page.wait_for_selector("button[value=place]", timeout=15_000)
        journey.check("checkout form after the turn")
        assert "/checkout/" in page.url
    finally:
        context.close()
