"""'+ Keranjang' on product cards: lists are cached alike for every shopper, so
the card carries no CSRF token; the script asks orders for one, then posts."""

import pytest
from django.test import Client

from catalog.models import ListingStatus
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return ProductFactory(
        facility=shop(), status=ListingStatus.APPROVED, stock=4, min_order_quantity=1
    )


def test_card_offers_quick_add_with_a_fallback_to_the_buy_form(client, product):
    page = client.get("/").content.decode()
    assert f'data-product="{product.pk}"' in page
    # Without JavaScript the card leads to the small per-visitor buy page (a
    # shared list carries no CSRF token, issue 33), whose form has one.
    buy = f"/keranjang/beli/?product={product.pk}"
    assert f'href="{buy}"' in page
    buy_page = client.get(buy).content.decode()
    assert "csrfmiddlewaretoken" in buy_page and product.name in buy_page


def test_token_then_post_adds_one_and_leads_to_checkout(product):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/")
    refused = browser.post(
        "/keranjang/tambah/", {"product": product.pk, "quantity": 1}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 403  # the control: no token, no cart
    answer = browser.get("/keranjang/token/")
    assert "no-store" in answer["Cache-Control"] or "max-age=0" in answer["Cache-Control"]
    token = answer.json()["token"]
    added = browser.post(
        "/keranjang/tambah/",
        {"product": product.pk, "quantity": 1},
        HTTP_ACCEPT="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    data = added.json()
    assert data["ok"] and data["count"] == 1
    assert data["checkout_url"] == "/checkout/"
