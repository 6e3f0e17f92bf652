"""Every writer of Product.stock comes through catalog/stock.py.

The admin used to set `stock` absolutely through product_update's generic
field loop, under the listing lock: a form opened before a sale and saved
after it put the sold pieces back on sale. Two checks hold the rule: a
drill (the staff's change is applied on top of the sale; its control sets
the count absolutely, as before, and loses the sale) and a scan of the
source for any other writer.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.db import transaction

from catalog import services, stock
from catalog.models import ListingStatus, Product
from tests.catalog.listing_factories import product_with_photo
from tests.catalog.test_admin import _form_data, _login, _url
from tests.factories import facility_staff

ROOT = Path(__file__).resolve().parents[2]
# Not the application: demo data and the benchmark make their rows as they
# like (seeds/scale bulk-creates products with their stock), tests set up.
NOT_APP = {"tests", "seeds", "bench", ".venv", "node_modules", "migrations", "docs"}
THE_OWNER = ROOT / "catalog" / "stock.py"


def _writes_stock(tree: ast.AST) -> list[int]:
    """Lines that write a product's stock: `x.stock = ...` / `+=`, a
    `stock=` keyword to update/create/bulk_update-like calls or a model
    constructor, `setattr(x, "stock", ...)`, "stock" in update_fields, or
    SQL `SET stock =` (an assignment, so prose such as "set stock aside"
    in a docstring is not one)."""
    found = []
    reads = {"filter", "exclude", "get", "annotate", "aggregate", "Q", "values", "order_by"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "stock" for t in targets):
                found.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in reads:
                continue
            if any(k.arg == "stock" for k in node.keywords) and (
                name in {"update", "create", "get_or_create", "update_or_create", "Product"}
            ):
                found.append(node.lineno)
            if (
                name == "setattr"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value == "stock"
            ):
                found.append(node.lineno)
            for k in node.keywords:
                if k.arg in {"update_fields", "fields"} and "'stock'" in ast.dump(k.value):
                    found.append(node.lineno)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.search(r'\bSET\s+"?stock"?\s*=', node.value, re.IGNORECASE)
        ):
            found.append(node.lineno)
    return found


def _app_modules():
    for path in sorted(ROOT.rglob("*.py")):
        if NOT_APP & set(path.relative_to(ROOT).parts) or path == THE_OWNER:
            continue
        yield path


def test_no_module_but_catalog_stock_writes_product_stock():
    writers = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _app_modules()
        for line in _writes_stock(ast.parse(path.read_text(), str(path)))
    ]
    assert writers == [], "Product.stock written outside catalog/stock.py: " + ", ".join(writers)


def test_the_generic_field_writer_does_not_take_stock():
    # The admin's path before: every changed EDITABLE_FIELDS name set by
    # product_update's setattr loop, stock included. The scan above cannot
    # see a name in a loop, so the list itself is checked.
    assert "stock" not in services.EDITABLE_FIELDS


def test_the_scan_finds_each_way_of_writing_stock():
    # Control: the scan can fail. One line per pattern it must catch.
    source = """
p.stock = 3
p.stock += 1
Product.objects.filter(pk=1).update(stock=F("stock") - 1)
Product.objects.create(name="x", stock=4)
Product(stock=2)
setattr(p, "stock", 5)
p.save(update_fields=["stock", "updated_at"])
cursor.execute("UPDATE catalog_product SET stock = %s")
Product.objects.filter(stock=0)
"""
    assert _writes_stock(ast.parse(source)) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert THE_OWNER.exists() and _writes_stock(ast.parse(THE_OWNER.read_text()))


# --- the admin's save keeps a sale made after its form opened -------------------


@pytest.fixture
def product(facility, media):
    item = product_with_photo(status=ListingStatus.APPROVED, facility=facility)
    Product.objects.filter(pk=item.pk).update(stock=10, made_to_order=False)
    return item


def _sell(product, quantity):
    """A checkout's part: the row locked and the stock taken through catalog.stock."""
    with transaction.atomic():
        stock.take(stock.lock_products([product.pk]), {product.pk: quantity})


def _open_then_sell_then_save(client, product, *, carry_shown: bool):
    staff = facility_staff(product.facility)
    _login(client, staff)
    page = client.get(_url("change", product.pk))
    assert 'name="initial-stock" value="10"' in page.content.decode()
    data = _form_data(page)
    if carry_shown:
        data["initial-stock"] = "10"
    data["stock"] = "12"  # two more made in the workshop
    _sell(product, 2)  # a shopper buys two while the form is open
    response = client.post(_url("change", product.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    product.refresh_from_db()
    return product.stock


@pytest.mark.django_db
def test_admin_stock_change_keeps_a_sale_made_after_the_form_opened(client, product):
    assert _open_then_sell_then_save(client, product, carry_shown=True) == 10


@pytest.mark.django_db
def test_control_a_count_set_absolutely_loses_the_sale(client, product):
    # What the admin did before set_counted: the number typed, over the sale.
    assert _open_then_sell_then_save(client, product, carry_shown=False) == 12


@pytest.mark.django_db
def test_set_counted_never_goes_below_zero(product):
    with transaction.atomic():
        [locked] = stock.lock_products([product.pk])
        _sell(product, 9)
        assert stock.set_counted(locked, 0, seen=10) == 0  # "sold out": 1 - 10 -> 0
    with pytest.raises(ValueError):
        stock.set_counted(product, -1)
