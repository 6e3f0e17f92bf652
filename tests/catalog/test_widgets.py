"""catalog.widgets.FastSelect renders the same HTML as Django's Select."""

import pytest
from django import forms

from catalog.widgets import FastSelect

CHOICES = [
    ("", "Semua kategori"),
    ("batik", "Batik & <Tenun>"),
    ("tas", '— Tas "rajut"'),
    ("Grup", [("a", "A"), ("b", "B")]),
    (3, "Tiga"),
]


@pytest.mark.parametrize("value", [None, "", "batik", "b", "3", ["tas"]])
@pytest.mark.parametrize("attrs", [None, {"id": "id_category", "required": True, "hidden": False}])
def test_fast_select_renders_what_django_select_renders(value, attrs):
    expected = forms.Select(choices=CHOICES).render("category", value, attrs)
    assert FastSelect(choices=CHOICES).render("category", value, attrs) == expected
