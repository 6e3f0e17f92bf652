"""Error pages speak Indonesian, carry the security headers, and give nothing away."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_not_found_is_the_sites_own_page(client):
    response = client.get("/produk/tidak-ada-produk-ini/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Halaman tidak ditemukan" in body and 'lang="id"' in body
    assert "noindex" in body
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_stale_form_gets_a_plain_explanation_not_a_technical_one(db):
    shopper = Client(enforce_csrf_checks=True)
    response = shopper.post("/lacak/", {"code": "ABCDEFGH", "phone": "0812"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulir kedaluwarsa" in body
    assert "CSRF" not in body and "Referer" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_server_error_page_touches_no_database(rf, django_assert_num_queries):
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Maaf, terjadi gangguan" in response.content.decode()
