"""Two Bapas in two regions, a Lapas beside the first, and a way to register
a client's business through the real service."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bapas import services
from facilities.models import Facility
from tests.factories import FacilityFactory, RegionFactory, facility_staff, regional_reviewer

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sultra(db):
    return RegionFactory(
        name="Kanwil Sulawesi Tenggara", province="Sulawesi Tenggara", slug="sultra"
    )


@pytest.fixture
def bapas_baubau(sultra):
    return FacilityFactory(
        region=sultra,
        kind=Facility.Kind.BAPAS,
        name="Bapas Baubau",
        slug="bapas-baubau",
        city="Baubau",
    )


@pytest.fixture
def bapas_palembang(db):
    region = RegionFactory(
        name="Kanwil Sumatera Selatan", province="Sumatera Selatan", slug="sumsel"
    )
    return FacilityFactory(
        region=region,
        kind=Facility.Kind.BAPAS,
        name="Bapas Palembang",
        slug="bapas-palembang",
        city="Palembang",
    )


@pytest.fixture
def lapas_baubau(sultra):
    return FacilityFactory(region=sultra, name="Lapas Baubau", slug="lapas-baubau", city="Baubau")


@pytest.fixture
def officer(bapas_baubau):
    return facility_staff(bapas_baubau)


@pytest.fixture
def other_officer(bapas_palembang):
    return facility_staff(bapas_palembang)


@pytest.fixture
def kanwil(sultra):
    return regional_reviewer(sultra)


def consent_pdf():
    return SimpleUploadedFile("formulir.pdf", PDF, content_type="application/pdf")


def register(officer, **overrides):
    fields = {
        "shop_name": "Tas Butonik Wolio",
        "client_name": "Wa Ode Sitti",
        "consent_signed_on": date(2026, 11, 2),
        "consent_form": consent_pdf(),
        "supervision_starts_on": date(2026, 6, 1),
        "supervision_ends_on": date(2027, 5, 31),
        "bank_name": "Bank Sultra",
        "account_number": "123-456-7890",
        "username": "usaha-wolio",
        "password": "tenun-butonik-2026",
        "about": "Tas anyaman motif Buton, dijahit tangan.",
    }
    fields.update(overrides)
    return services.enterprise_register(actor=officer, **fields)


@pytest.fixture
def enterprise(officer, media):
    return register(officer)


@pytest.fixture
def client_user(enterprise):
    from bapas.selectors import client_account

    return client_account(enterprise)
