"""A shopper's checkout, posted as a browser would post it (shared by the drills)."""

from __future__ import annotations

from tests.regions_data import TEBET_POST

ADDRESS = dict(TEBET_POST)


def fill_cart(client, *products) -> None:
    for product in products:
        response = client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
        assert response.status_code == 302


def checkout_form(client, *facilities, email="siti@example.com") -> dict:
    """The checkout form's hidden fields from the rendered page, plus a shopper's answers."""
    page = client.get("/checkout/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        "idempotency_key": form.idempotency_key,
        "cart_token": form.cart_token,
        "c-name": "Siti Aminah",
        "c-phone": "0812-3456-7890",
        "c-email": email,
        "p-agree": "on",
        "action": "place",
        **ADDRESS,
    }
    for facility in facilities:
        data[f"f{facility.pk}-delivery"] = "courier"
    data["g-payment"] = "bank_transfer"  # one payment choice per checkout
    return data
