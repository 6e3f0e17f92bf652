"""Signed links in WhatsApp and mail open the order itself, sign the browser in
for it (the tracking rule), expire, and cannot be bent to another order."""

import pytest
from django.core import signing

from orders.account import links
from orders.models import Order
from orders.tracking import TRACKED_KEY
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db


def _orders():
    a = ProductFactory(facility=shop(), stock=5)
    b = ProductFactory(facility=shop(), stock=5)
    return place([(a, 1), (b, 1)]).orders


def test_link_opens_the_order_and_signs_the_browser_in(client):
    order, other = _orders()
    url = links.order_link(order)
    response = client.get(url.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 302 and response.url == f"/lacak/{order.code}/"
    assert client.session[TRACKED_KEY] == [order.code]  # only this order, not the other
    assert client.get(response.url).status_code == 200
    assert client.get(f"/lacak/{other.code}/").status_code == 302  # back to the form


def test_a_checkout_link_opens_every_order_it_names(client):
    orders = _orders()
    token = links.order_link_token(orders)
    client.get(f"/buka/{token}/")
    assert sorted(client.session[TRACKED_KEY]) == sorted(o.code for o in orders)


def test_tampered_expired_and_erased_links_open_nothing(client, monkeypatch):
    order, other = _orders()
    token = links.order_link_token([order])
    payload, signature = token.split(":", 1)
    body = signing.b64_decode(payload.encode()).replace(order.code.encode(), other.code.encode())
    forged = signing.b64_encode(body).decode() + ":" + signature
    assert forged != token
    assert links.codes_from_token(forged) == []
    # Another salt (e.g. a privacy token) is not an order link.
    assert links.codes_from_token(signing.dumps({"c": [order.code]}, salt="other")) == []
    # Past its age.
    monkeypatch.setattr(links, "ORDER_LINK_DAYS", -1)
    assert links.codes_from_token(token) == []
    monkeypatch.setattr(links, "ORDER_LINK_DAYS", 60)
    assert links.codes_from_token(token) == [order.code]
    # The order's phone was erased: the link no longer matches.
    Order.objects.filter(pk=order.pk).update(contact_phone="+6281100000000")
    response = client.get(f"/buka/{token}/")
    assert response.status_code == 302 and response.url == "/lacak/"
    assert TRACKED_KEY not in client.session
