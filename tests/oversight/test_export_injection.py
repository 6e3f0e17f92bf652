"""Every oversight file with names that look like formulas."""

import csv
import io

import pytest
from openpyxl import load_workbook

from catalog.models import Category
from facilities.models import ProceedsShare
from tests.factories import head_office_user

pytestmark = pytest.mark.django_db

FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"


def _csv_rows(response):
    text = response.content.decode("utf-8").lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_product_recap_files_keep_formula_names_as_text(client, world):
    Category.objects.filter(pk=world["bag"].category_id).update(name_id=FORMULA, name_en=FORMULA)
    client.force_login(head_office_user())

    rows = _csv_rows(client.get("/admin/laporan/produk.csv"))
    assert "'" + FORMULA in [row[2] for row in rows[1:]]
    assert all(not row[2].startswith("@") for row in rows[1:])

    workbook = load_workbook(io.BytesIO(client.get("/admin/laporan/produk.xlsx").content))
    rows = list(workbook.worksheets[0].iter_rows(min_row=2))
    hostile = next(row[2] for row in rows if row[2].value == FORMULA)
    assert hostile.data_type == "s" and hostile.quotePrefix
    # Counts and amounts stay numbers.
    assert all(isinstance(row[-1].value, int | float) for row in rows)


def test_the_proceeds_file_keeps_a_formula_share_name_as_text(client, world):
    ProceedsShare.objects.filter(facility=world["kendari"], name="PNBP").update(
        name='=HYPERLINK("http://x","PNBP")'
    )
    client.force_login(head_office_user())
    rows = _csv_rows(client.get("/admin/laporan/pembagian-hasil.csv"))
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","PNBP")' in names
    # The percent stays a plain number (Indonesian decimal comma).
    assert "12,50" in [row[2] for row in rows[1:]]
