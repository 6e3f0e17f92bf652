"""Packaging houses: a facility asks a house of its own city; only that house
answers; an accepted proposal is an edit of the product through catalog's
services, so an approved listing leaves the shop until the Kanwil approves."""

import pytest

from catalog import services as catalog_services
from catalog.models import ListingStatus, Product
from partners import services
from partners.models import PackagingHouse, PackagingProposal, PackagingRequest
from tests.catalog.listing_factories import image_bytes, upload
from tests.factories import (
    FacilityFactory,
    ProductFactory,
    ProductImageFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)
from tests.partners.conftest import PASSWORD

pytestmark = pytest.mark.django_db
KEY = "h" * 32


@pytest.fixture
def setting():
    facility = FacilityFactory(city="Banjarmasin")
    product = ProductFactory(facility=facility, name="Amplang Ikan Pipih", price=20_000)
    ProductImageFactory(product=product)
    house = PackagingHouse.objects.create(name="Rumah Kemasan Banjarmasin", city="Banjarmasin")
    staff = facility_staff(facility)
    account = services.partner_account_create(
        actor=head_office_user(), username="rk-bjm", password=PASSWORD, packaging_house=house
    )
    return facility, product, house, staff, account


def ask(setting):
    _facility, product, house, staff, _account = setting
    return services.packaging_request_create(
        actor=staff, product=product, house=house, note="Kemasan standing pouch, label baru."
    )


def propose(setting, request, key=KEY):
    return services.packaging_proposal_send(
        account=setting[4],
        request=request,
        text="Standing pouch 250 g dengan jendela.",
        price=350_000,
        key=key,
        photos=[upload(image_bytes())],
        composition="Ikan pipih, tepung sagu, telur, garam",
        net_content="250 g",
    )


def test_a_facility_asks_only_a_house_of_its_city(setting):
    _facility, product, _house, staff, _account = setting
    far = PackagingHouse.objects.create(name="Rumah Kemasan Palembang", city="Palembang")
    with pytest.raises(services.PartnerError):
        services.packaging_request_create(actor=staff, product=product, house=far, note="x")
    stranger = facility_staff(FacilityFactory(city="Banjarmasin"))
    with pytest.raises(services.PartnerError):
        services.packaging_request_create(
            actor=stranger, product=product, house=setting[2], note="x"
        )
    assert ask(setting).status == PackagingRequest.Status.OPEN


def test_only_the_asked_house_answers_and_a_double_send_is_one(setting):
    request = ask(setting)
    other_house = PackagingHouse.objects.create(name="Rumah Kemasan Lain", city="Banjarmasin")
    intruder = services.partner_account_create(
        actor=head_office_user(),
        username="rk-lain",
        password=PASSWORD,
        packaging_house=other_house,
    )
    with pytest.raises(services.PartnerError):
        services.packaging_proposal_send(account=intruder, request=request, text="x", key=KEY)
    first = propose(setting, request)
    assert propose(setting, request).pk == first.pk
    assert PackagingProposal.objects.count() == 1 and first.photos.count() == 1
    request.refresh_from_db()
    assert request.status == PackagingRequest.Status.PROPOSED


def test_accepting_sends_the_listing_to_review_and_off_the_shop(setting):
    facility, product, _house, staff, _account = setting
    assert Product.objects.public().filter(pk=product.pk).exists()
    proposal = propose(setting, ask(setting))
    # Neither another facility's staff nor the Kanwil accepts for it.
    for outsider in (facility_staff(FacilityFactory()), regional_reviewer(facility.region)):
        with pytest.raises(services.PartnerError):
            services.packaging_proposal_accept(actor=outsider, proposal=proposal)
    services.packaging_proposal_accept(actor=staff, proposal=proposal)
    services.packaging_proposal_accept(actor=staff, proposal=proposal)  # twice is once
    product.refresh_from_db()
    assert product.status == ListingStatus.PENDING_REVIEW
    assert product.composition == "Ikan pipih, tepung sagu, telur, garam"
    assert product.net_content == "250 g"
    assert product.images.count() == 2
    assert not Product.objects.public().filter(pk=product.pk).exists()
    review = product.reviews.order_by("-id").first()
    assert review.action == "content_changed" and review.snapshot["net_content"] == "250 g"
    # The facility cannot approve its own edit; the Kanwil can.
    with pytest.raises(catalog_services.ListingError):
        catalog_services.listing_approve(product=product, actor=staff, checklist={})
    checklist = dict.fromkeys(catalog_services.CHECKLIST, True)
    catalog_services.listing_approve(
        product=product, actor=regional_reviewer(facility.region), checklist=checklist
    )
    assert Product.objects.public().filter(pk=product.pk).exists()


def test_the_house_desk_lists_its_requests_only(client, setting):
    request = ask(setting)
    other_facility = FacilityFactory(city="Banjarmasin")
    other_house = PackagingHouse.objects.create(name="RK Dua", city="Banjarmasin")
    hidden = services.packaging_request_create(
        actor=facility_staff(other_facility),
        product=ProductFactory(facility=other_facility, name="Sasirangan Uji"),
        house=other_house,
        note="x",
    )
    client.post("/mitra/masuk/", {"username": "rk-bjm", "password": PASSWORD})
    body = client.get("/mitra/").content.decode()
    assert "Amplang Ikan Pipih" in body and "Sasirangan Uji" not in body
    assert client.get(f"/mitra/kemasan/{hidden.pk}/").status_code == 404
    assert client.get(f"/mitra/kemasan/{request.pk}/").status_code == 200


def test_the_house_answers_from_its_page_and_the_facility_accepts_in_the_admin(client, setting):
    import re

    facility, product, _house, staff, _account = setting
    request = ask(setting)
    client.post("/mitra/masuk/", {"username": "rk-bjm", "password": PASSWORD})
    page = client.get(f"/mitra/kemasan/{request.pk}/").content.decode()
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page).group(1)
    response = client.post(
        f"/mitra/kemasan/{request.pk}/",
        {
            "key": key,
            "text": "Pouch kraft 250 g",
            "price": "350000",
            "net_content": "250 g",
            "composition": "Ikan pipih, tepung sagu",
            "photos": [upload(image_bytes())],
        },
    )
    assert response.status_code == 302
    proposal = PackagingProposal.objects.get()
    photo = proposal.photos.get()
    assert client.get(f"/mitra/kemasan/{request.pk}/foto/{photo.pk}/").status_code == 200
    client.force_login(staff)
    listed = client.get(f"/admin/partners/packagingrequest/{request.pk}/change/").content.decode()
    assert "Pouch kraft 250 g" in listed
    assert (
        client.get(f"/admin/partners/packagingrequest/{request.pk}/foto/{photo.pk}/").status_code
        == 200
    )
    client.post(
        "/admin/partners/packagingrequest/",
        {"action": "accept_newest", "_selected_action": [request.pk]},
    )
    product.refresh_from_db()
    assert product.status == ListingStatus.PENDING_REVIEW and product.net_content == "250 g"
    # Another facility's staff reach neither the request nor its photos.
    client.force_login(facility_staff(FacilityFactory(city="Banjarmasin")))
    assert (
        client.get(f"/admin/partners/packagingrequest/{request.pk}/foto/{photo.pk}/").status_code
        == 404
    )
