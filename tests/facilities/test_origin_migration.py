"""facilities 0006 maps each facility's free-text province onto its
Kemendagri code: old spellings included, on a database with or without the
region data loaded, and an unknown name is left for head office to set."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from facilities.models import Facility
from regions.models import Province

pytestmark = pytest.mark.django_db


def _migration(suffix: str):
    graph = MigrationExecutor(connection).loader.graph
    # Found by name, so a renumbered migration is still the one tested.
    (key,) = [k for k in graph.nodes if k[0] == "facilities" and k[1].endswith(suffix)]
    (before,) = [p for p in graph.node_map[key].parents if p[0] == "facilities"]
    return key, before


def test_free_text_provinces_become_codes():
    key, before = _migration("_facility_origin")
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state(before).apps
    Region = old.get_model("facilities", "Region")
    OldFacility = old.get_model("facilities", "Facility")
    region = Region.objects.create(name="Kanwil Uji", province="DKI Jakarta", slug="kanwil-uji")
    names = {
        "jakarta": "DKI Jakarta",
        "yogya": "DI Yogyakarta",
        "babel": "Bangka Belitung",
        "papua-bd": "Papua Barat Daya",
        "atlantis": "Atlantis",
    }
    for slug, province in names.items():
        OldFacility.objects.create(
            region=region,
            kind="lapas",
            name=f"Lapas {slug}",
            slug=slug,
            address="Jl. Uji",
            city="Kota Uji",
            province=province,
        )
    assert not Province.objects.exists()  # no load_regions yet
    with connection.cursor() as cursor:
        # The rows' deferred foreign-key checks now, not pending under the ALTERs.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    codes = dict(Facility.objects.values_list("slug", "origin_province_id"))
    assert codes == {
        "jakarta": "31",
        "yogya": "34",
        "babel": "19",
        "papua-bd": "96",
        "atlantis": None,
    }
    # The rows it needed were created with the official names load_regions uses.
    assert Province.objects.get(code="34").name == "Daerah Istimewa Yogyakarta"
    # The free text stays as the facility wrote it.
    assert Facility.objects.get(slug="yogya").province == "DI Yogyakarta"
