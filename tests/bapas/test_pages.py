"""The Bapas pages in the admin and the business's storefront: each scope
rule tried from the other side, the mark with and without the client's name,
and the listing review that nobody does for their own work."""

from __future__ import annotations

from datetime import date

import pytest

from bapas import services
from bapas.models import Enterprise
from catalog.models import ListingStatus
from catalog.services import listing as listing_services
from tests.bapas.conftest import PDF, register
from tests.factories import ProductFactory, facility_staff, head_office_user, regional_reviewer

pytestmark = pytest.mark.django_db

LIST = "/admin/bapas/enterprise/"


def page(enterprise, tail=""):
    return f"{LIST}{enterprise.pk}/change/{tail}"


def test_the_officer_registers_through_the_form(client, officer, media):
    client.force_login(officer)
    assert client.get(LIST + "add/").status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        LIST + "add/",
        {
            "shop_name": "Tas Butonik Wolio",
            "client_name": "Wa Ode Sitti",
            "consent_signed_on": "2026-11-02",
            "consent_form": SimpleUploadedFile("f.pdf", PDF, content_type="application/pdf"),
            "supervision_starts_on": "2026-06-01",
            "supervision_ends_on": "2027-05-31",
            "bank_name": "Bank Sultra",
            "account_number": "1234567890",
            "username": "usaha-wolio",
            "password": "tenun-butonik-2026",
        },
    )
    enterprise = Enterprise.objects.get()
    assert answer.status_code == 302 and answer.url == page(enterprise)


def test_the_form_lists_every_error_at_the_top_and_the_field(client, officer):
    client.force_login(officer)
    html = client.post(
        LIST + "add/",
        {
            "shop_name": "",
            "story": "x",
            "supervision_starts_on": "2026-06-01",
            "supervision_ends_on": "2026-01-01",
        },
    ).content.decode()
    top = html.index('class="errornote"')
    assert html.index("Nama toko: ", top) < html.index('id="id_shop_name"')
    assert "Akhir pembimbingan harus setelah awalnya." in html
    assert "Isi kisah hanya bila klien setuju" in html
    assert not Enterprise.objects.exists()


def test_each_side_sees_only_its_own(
    client, enterprise, officer, other_officer, client_user, kanwil, lapas_baubau
):
    for user in (officer, client_user):
        client.force_login(user)
        assert client.get(LIST).context["cl"].result_count == 1
        assert client.get(page(enterprise)).status_code == 200
    client.force_login(other_officer)
    assert client.get(LIST).context["cl"].result_count == 0
    assert client.get(page(enterprise)).status_code == 404
    assert client.get(f"{LIST}{enterprise.pk}/persetujuan/").status_code == 404
    for user in (kanwil, facility_staff(lapas_baubau)):
        client.force_login(user)
        assert client.get(page(enterprise)).status_code in (403, 404)
    # Another client sees their own business only.
    second = register(officer, shop_name="Batik Musi", client_name="Sitti", username="u2")
    from bapas.selectors import client_account

    client.force_login(client_account(second))
    assert client.get(page(enterprise)).status_code == 404
    assert client.get(LIST).context["cl"].result_count == 1
    # Only the client and the mentoring Bapas open the signed form.
    client.force_login(officer)
    consent = client.get(f"{LIST}{enterprise.pk}/persetujuan/")
    assert consent.status_code == 200 and "no-store" in consent["Cache-Control"]
    client.force_login(head_office_user())
    assert client.get(page(enterprise)).status_code == 200
    assert client.get(f"{LIST}{enterprise.pk}/persetujuan/").status_code == 404


def test_steps_from_the_wrong_side_are_refused(
    client, enterprise, officer, other_officer, client_user
):
    client.force_login(client_user)
    client.post(
        page(enterprise), {"step": "visit", "visit-visited_on": "2026-12-01", "visit-topic": "x"}
    )
    client.post(page(enterprise), {"step": "end"})
    assert not enterprise.visits.exists()
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.SUPERVISED
    client.force_login(other_officer)
    assert client.post(page(enterprise), {"step": "end"}).status_code == 404
    client.force_login(officer)
    client.post(
        page(enterprise),
        {"step": "visit", "visit-visited_on": "2026-12-01", "visit-topic": "Harga"},
    )
    assert enterprise.visits.count() == 1
    # The export is the client's: the officer gets the page back, no file.
    refused = client.post(page(enterprise), {"step": "export"})
    assert refused.status_code == 302
    assert not enterprise.events.filter(kind="exported").exists()


def test_the_client_downloads_their_data(client, enterprise, client_user):
    client.force_login(client_user)
    answer = client.post(page(enterprise), {"step": "export"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    assert answer.json()["usaha"]["nama_toko"] == "Tas Butonik Wolio"


def test_the_officer_sees_sales_per_month(client, enterprise, officer):
    from orders.models import OrderStatus
    from tests.factories import make_order

    bag = ProductFactory(facility=enterprise.facility, price=200_000)
    make_order(enterprise.facility, status=OrderStatus.COMPLETED, lines=[(bag, 2)])
    make_order(enterprise.facility, status=OrderStatus.CANCELLED, lines=[(bag, 1)])
    client.force_login(officer)
    html = client.get(page(enterprise)).content.decode()
    assert "Rp 400.000" in html and "Penjualan per bulan" in html


def storefront(client, enterprise, *, whole=False):
    """The storefront's own article (the site's footer speaks of the
    programmes in general, on every page)."""
    html = client.get(enterprise.facility.get_absolute_url()).content.decode()
    if whole:
        return html
    return html[html.index('<article class="storefront">') : html.index("</article>")]


def test_storefront_mark_without_and_with_the_clients_name(client, officer, media):
    plain = register(officer)
    ProductFactory(facility=plain.facility)
    html = storefront(client, plain)
    assert "Usaha binaan Bapas Baubau" in html
    assert "Wa Ode Sitti" not in html
    assert "narapidana" not in html.lower() and "warga binaan" not in html.lower()
    named = register(
        officer,
        shop_name="Batik Sitti",
        client_name="Sitti Aisyah",
        show_client_name=True,
        username="u2",
    )
    html = storefront(client, named)
    assert "Usaha binaan Bapas Baubau" in html and "Pemilik: Sitti Aisyah" in html


def test_a_story_shows_only_when_the_client_agreed(client, officer, media):
    told = register(
        officer,
        story_shared=True,
        story="Saya mantan narapidana yang belajar menenun di Lapas Baubau.",
    )
    assert "mantan narapidana" in storefront(client, told)


def test_the_mark_leaves_when_the_client_drops_it(client, enterprise, officer, client_user):
    services.enterprise_supervision_end(actor=officer, enterprise=enterprise)
    services.enterprise_decide(
        actor=client_user, enterprise=enterprise, decision="continue", keep_mark=False
    )
    html = storefront(client, enterprise)
    assert "Tas Butonik Wolio" in html and "Usaha binaan" not in html


def test_listing_review_by_the_kanwil_of_its_region_only(
    enterprise, officer, client_user, kanwil, bapas_palembang
):
    product = ProductFactory(facility=enterprise.facility, draft=True)
    from tests.factories import ProductImageFactory

    ProductImageFactory(product=product)
    listing_services.listing_submit(product=product, actor=client_user)
    checklist = {key: True for key in listing_services.CHECKLIST}
    refused = [client_user, officer, regional_reviewer(bapas_palembang.region)]
    for actor in refused:
        with pytest.raises(listing_services.ListingPermissionError):
            listing_services.listing_approve(product=product, actor=actor, checklist=checklist)
    listing_services.listing_approve(product=product, actor=kanwil, checklist=checklist)
    product.refresh_from_db()
    assert product.status == ListingStatus.APPROVED


def test_visit_dates_in_the_future_are_refused(enterprise, officer):
    with pytest.raises(services.EnterpriseError, match="masa depan"):
        services.enterprise_visit_record(
            actor=officer, enterprise=enterprise, visited_on=date(2099, 1, 1), topic="x"
        )
