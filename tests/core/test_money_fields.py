"""Every money column refuses, at its form field, an amount past its limit in core.money.

The limit lives on the model field (core.fields.MoneyField); its form field
says it in Indonesian, so every ModelForm and admin page refuses 10^19 with a
message. Plain forms that take money use the same form field.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Product
from complaints.admin import ComplaintStepForm
from complaints.forms import ComplaintForm
from core.fields import MoneyField, MoneyFormField, money_problems
from core.money import MAX_ORDER_TOTAL, MAX_UNIT_AMOUNT
from tests.catalog.listing_factories import product_with_photo
from tests.catalog.test_admin import _form_data
from tests.factories import facility_staff

HUGE = 10**19
MONEY_FIELDS = [
    field
    for model in apps.get_models()
    for field in model._meta.get_fields()
    if isinstance(field, MoneyField)
]


def test_there_are_money_fields_to_check():
    assert len(MONEY_FIELDS) > 20


@pytest.mark.parametrize("field", MONEY_FIELDS, ids=lambda f: f"{f.model.__name__}.{f.name}")
def test_every_money_columns_form_field_refuses_past_its_limit(field):
    form_field = field.formfield()
    assert isinstance(form_field, MoneyFormField)
    assert form_field.clean(str(field.limit)) == field.limit
    for amount in (field.limit + 1, HUGE):
        with pytest.raises(ValidationError) as refused:
            form_field.clean(str(amount))
        # One message, the Rupiah limit; not Django's bigint bound beside it.
        assert refused.value.messages == [f"Nominal paling besar {_rupiah(field.limit)}."]
    with pytest.raises(ValidationError):
        form_field.clean("-1")


def _rupiah(amount):
    return "Rp " + f"{amount:,}".replace(",", ".")


def test_the_services_ask_the_same_field():
    assert money_problems(Product, price=MAX_UNIT_AMOUNT) == {}
    assert money_problems(Product, price=HUGE) == {
        "price": "Nominal paling besar Rp 1.000.000.000."
    }


@pytest.mark.parametrize(
    "form",
    [
        lambda amount: ComplaintForm(
            {"reason": "damaged", "description": "x", "remedy": "partial_refund", "amount": amount}
        ),
        lambda amount: ComplaintStepForm({"amount": amount}),
    ],
    ids=["shopper complaint", "staff complaint step"],
)
def test_complaint_amounts_are_limited_too(form, db):
    refused = form(str(HUGE))
    assert not refused.is_valid()
    assert refused.errors["amount"] == [f"Nominal paling besar {_rupiah(MAX_ORDER_TOTAL)}."]


@pytest.mark.django_db
@pytest.mark.usefixtures("media")
def test_a_product_price_of_ten_to_the_nineteen_in_the_admin_is_a_message(client, facility):
    product = product_with_photo(facility=facility, price=50_000)
    client.force_login(facility_staff(facility))
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = _form_data(client.get(url))
    data["price"] = str(HUGE)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Nominal paling besar Rp 1.000.000.000" in response.text
    assert "9223372036854775807" not in response.text
    product.refresh_from_db()
    assert product.price == 50_000


@pytest.mark.django_db
def test_the_catalog_price_filter_takes_a_huge_number_without_a_500(client):
    response = client.get("/produk/", {"price_min": str(HUGE), "price_max": str(HUGE)})
    assert response.status_code == 200
