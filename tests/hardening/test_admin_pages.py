"""The staff's admin pages carry the same Content-Security-Policy: nothing inline on them either."""

import contextlib

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from catalog.models import ListingStatus
from tests.catalog.listing_factories import product_with_photo
from tests.factories import UserFactory
from tests.hardening.test_headers import (
    INLINE_HANDLER,
    INLINE_SCRIPT,
    JAVASCRIPT_URL,
    STYLE_ATTRIBUTE,
)
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db



@pytest.fixture
def staff_client(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(UserFactory(username="pusat-uji", is_staff=True, is_superuser=True))
    return client


def _admin_pages():
    paths = ["/admin/", "/admin/password_change/"]
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        for view in ("changelist", "add"):
            with contextlib.suppress(NoReverseMatch):
                paths.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}"))
    return paths


def _assert_clean(response, path):
    assert response.status_code < 500, path
    assert "script-src 'self'" in response["Content-Security-Policy"], path
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), f"inline <script> on {path}"
    assert not INLINE_HANDLER.search(html), f"inline event handler on {path}"
    assert not STYLE_ATTRIBUTE.search(html), f"style attribute on {path}"
    assert "<style" not in html, f"<style> element on {path}"
    assert not JAVASCRIPT_URL.search(html), f"javascript: URL on {path}"


def test_every_admin_list_and_add_page_is_free_of_inline_code(staff_client):
    pages = _admin_pages()
    assert len(pages) > 10
    for path in pages:
        _assert_clean(staff_client.get(path), path)


def test_product_review_order_and_print_pages_are_free_of_inline_code(staff_client, media):
    facility = shop(name="Lapas Kendari Admin", city="Kendari")
    approved = ProductFactory(facility=facility, name="Miniatur Kapal Pinisi", stock=2)
    pending = product_with_photo(status=ListingStatus.PENDING_REVIEW, facility=facility)
    order = place([(approved, 1)]).orders[0]
    pages = [
        # Lists with rows: thumbnails, low-stock marks, status badges.
        reverse("admin:catalog_product_changelist"),
        reverse("admin:catalog_reviewqueueitem_changelist"),
        reverse("admin:catalog_productimage_changelist"),
        reverse("admin:orders_order_changelist"),
        reverse("admin:catalog_product_change", args=[pending.pk]),
        reverse("admin:catalog_product_change", args=[approved.pk]),  # with the re-review note
        reverse("admin:catalog_product_review", args=[pending.pk]),
        reverse("admin:orders_order_change", args=[order.pk]),
        reverse("admin:orders_order_invoice", args=[order.pk]),
        reverse("admin:orders_order_packing_slip", args=[order.pk]),
    ]
    for path in pages:
        response = staff_client.get(path)
        assert response.status_code == 200, path
        _assert_clean(response, path)
