"""The merchant feed's CSV with what staff can type into a listing."""

import csv
import io

import pytest

from tests.catalog.factories import ProductFactory
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


def test_a_formula_typed_as_a_product_name_is_text_in_the_feed_csv(client, settings):
    settings.SITE_URL = "https://karyabinaan.example"
    facility = FacilityFactory(name="Lapas Uji Feed", slug="lapas-uji-feed")
    hostile = ProductFactory(
        facility=facility, name='=HYPERLINK("http://evil.example","Diskon")', price=99_000
    )
    plain = ProductFactory(facility=facility, name="Keset Sabut", price=45_000)

    for url in ["/feed/google.csv", f"/upt/{facility.slug}/feed.csv"]:
        rows = {row["id"]: row for row in csv.DictReader(io.StringIO(client.get(url).text))}
        assert rows[str(hostile.pk)]["title"] == '\'=HYPERLINK("http://evil.example","Diskon")'
        assert rows[str(plain.pk)]["title"] == "Keset Sabut"
        assert rows[str(plain.pk)]["price"] == "45000 IDR"

    # The XML feed is no spreadsheet: the name is there as typed.
    assert '=HYPERLINK("http://evil.example","Diskon")' in client.get("/feed/google.xml").text
