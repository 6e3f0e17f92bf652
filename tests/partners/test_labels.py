"""The printable label sheet: food labels carry what the law asks (P-IRT or
BPOM, halal, composition, net content, best-before), every label the Code128
barcode of catalog.barcode_value; only products in the user's scope."""

from datetime import date

import pytest

from catalog.barcode_value import product_barcode
from catalog.models import Category
from tests.factories import FacilityFactory, ProductFactory, facility_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def food():
    category, _ = Category.objects.get_or_create(
        slug="makanan", defaults={"name_id": "Makanan", "name_en": "Food"}
    )
    return ProductFactory(
        name="Kerupuk Ikan Belida",
        category=category,
        price=25_000,
        food_registration="P-IRT 2061671010123-29",
        halal_certificate="ID16110000123450823",
        composition="Ikan belida, tepung tapioka, garam",
        net_content="250 g",
        shelf_life_days=90,
    )


def labels_page(client, user, *products, produced="2026-12-01"):
    client.force_login(user)
    ids = ",".join(str(p.pk) for p in products)
    response = client.get(f"/admin/catalog/product/label/?ids={ids}&produksi={produced}")
    assert response.status_code == 200
    return response.content.decode()


def test_a_food_label_carries_what_the_law_asks_and_the_barcode(client, food):
    body = labels_page(client, facility_staff(food.facility), food)
    for text in (
        "Kerupuk Ikan Belida",
        "P-IRT 2061671010123-29",
        "Halal ID16110000123450823",
        "Ikan belida, tepung tapioka, garam",
        "Netto 250 g",
        "Rp 25.000",
        food.facility.name,
        "01-12-2026",
        # 1 December + 90 days
        "Baik digunakan sebelum 01-03-2027",
    ):
        assert text in body, text
    assert f'data-value="{product_barcode(food.pk)}"' in body
    assert product_barcode(food.pk) == f"KB{food.pk:07d}"
    assert "belum lengkap" not in body


def test_a_non_food_label_has_name_price_facility_barcode_only(client):
    craft = ProductFactory(name="Tas Rajut Eceng Gondok", price=150_000)
    body = labels_page(client, facility_staff(craft.facility), craft)
    assert "Tas Rajut Eceng Gondok" in body and "Rp 150.000" in body
    assert craft.facility.name in body
    assert f'data-value="{product_barcode(craft.pk)}"' in body
    assert "Komposisi" not in body and "Baik digunakan" not in body


def test_a_food_product_missing_legal_facts_is_flagged(client, food):
    food.composition = ""
    food.save(update_fields=["composition"])
    body = labels_page(client, facility_staff(food.facility), food)
    assert "label pangan belum lengkap" in body and "komposisi" in body


def test_another_facilitys_products_are_not_printed(client, food):
    stranger = facility_staff(FacilityFactory())
    body = labels_page(client, stranger, food)
    assert "Kerupuk Ikan Belida" not in body and "Tidak ada produk" in body


def test_the_admin_action_opens_the_sheet(client, food):
    client.force_login(facility_staff(food.facility))
    response = client.post(
        "/admin/catalog/product/", {"action": "print_labels", "_selected_action": [food.pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/catalog/product/label/?ids={food.pk}"
    assert date(2026, 12, 1)  # the production date defaults to today otherwise
