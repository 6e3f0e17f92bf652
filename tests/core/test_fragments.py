"""{% per_language %} (core/templatetags/fragments.py): the layout's fixed
pieces are rendered once per language, never shared across languages, and
the per-visitor pieces around them (cart count, CSRF) stay the visitor's."""

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.utils import translation

from tests.catalog.factories import ProductFactory


def test_each_language_gets_its_own_copy():
    template = Template(
        '{% load fragments i18n %}{% per_language "t1" %}{% translate "Keranjang" %}'
        "{% endper_language %}"
    )
    with translation.override("id"):
        indonesian = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("id"):
        again = template.render(Context())
    assert indonesian == again == "Keranjang"
    assert english == "Cart"


def test_the_name_must_be_quoted():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load fragments %}{% per_language footer %}x{% endper_language %}")


def test_the_footer_follows_the_visitor_language_and_the_cart_count_stays_theirs(db):
    product = ProductFactory(name="Kursi Jati", stock=5)
    indonesian = Client().get("/produk/").content.decode()
    shopper = Client()
    shopper.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    shopper.get("/produk/")
    shopper.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    english = shopper.get("/produk/?sort=newest")
    body = english.content.decode()
    assert "Kebijakan Privasi" in indonesian and "Lacak pesanan" in indonesian
    assert "Kebijakan Privasi" not in body and "Lacak pesanan" not in body
    # The count is the visitor's cookie, which the script shows (core/edge.py).
    assert 'class="cart-count"' not in body and shopper.cookies["kb_cart"].value == "1"
    assert 'class="cart-count"' not in Client().get("/produk/?sort=newest").content.decode()


def test_the_shipping_estimate_lists_every_province_on_every_product_page(db):
    from orders.delivery.fees import PROVINCE_CHOICES

    assert len(PROVINCE_CHOICES) == 38

    first, second = ProductFactory(stock=5), ProductFactory(stock=5)
    for product in (first, second, first):
        body = Client().get(product.get_absolute_url()).content.decode()
        assert f'id="ongkir-{product.pk}"' in body
        for code, name in PROVINCE_CHOICES:  # 38 provinces, by Kemendagri code
            assert f'<option value="{code}">{name}</option>' in body


def test_slot_renders_what_higher_apps_registered_in_order():
    """{% slot %} (core.page_registry.register_slot): a lower app's page shows
    a higher app's piece without naming it; pieces come in their `order`."""
    from types import SimpleNamespace

    from core.page_registry import slot_templates

    assert slot_templates("order_tracking") == [
        "reviews/partials/order_tracking_slot.html",
        "complaints/partials/order_tracking_slot.html",
    ]
    product = SimpleNamespace(slug="tas-anyam")
    html = Template('{% load fragments %}<p>{% slot "product_facility_box" %}</p>').render(
        Context({"product": product})
    )
    assert 'href="/penawaran/minta/?product=tas-anyam"' in html
    assert Template('{% load fragments %}{% slot "nobody_fills_this" %}').render(Context()) == ""
