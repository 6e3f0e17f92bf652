"""The scale-data generator at tiny sizes: deterministic, complete, public, searchable."""

from pathlib import Path

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.management import CommandError, call_command
from django.db.models import Count

from catalog.models import ListingReview, Product, ProductImage
from catalog.search import SEARCH_CONFIG
from facilities.models import BankAccount, Facility, Region
from seeds import scale

TINY = {"products": 120, "facilities": 40, "images": 2}


def _snapshot() -> list[tuple]:
    return list(
        Product.objects.order_by("slug").values_list(
            "slug",
            "name",
            "description",
            "price",
            "stock",
            "weight_grams",
            "made_to_order",
            "facility__slug",
            "category__slug",
            "approved_at",
        )
    )


@pytest.fixture(scope="session")
def shared_media(tmp_path_factory) -> Path:
    """One media folder for the session: the photos are drawn once, then reused."""
    return tmp_path_factory.mktemp("scale-media")


@pytest.fixture
def media_root(shared_media, settings) -> Path:
    settings.MEDIA_ROOT = str(shared_media)
    return shared_media


def test_same_seed_gives_the_same_rows_and_another_seed_does_not(db, media_root):
    scale.generate(seed=7, media_root=media_root, **TINY)
    first = _snapshot()
    first_facilities = list(Facility.objects.order_by("slug").values_list("slug", "region__slug"))

    scale.wipe()
    scale.generate(seed=7, media_root=media_root, **TINY)
    assert _snapshot() == first
    assert (
        list(Facility.objects.order_by("slug").values_list("slug", "region__slug"))
        == first_facilities
    )

    scale.wipe()
    scale.generate(seed=8, media_root=media_root, **TINY)
    assert _snapshot() != first


def test_generated_catalog_is_national_public_and_complete(db, media_root):
    summary = scale.generate(seed=3, media_root=media_root, **TINY)

    assert Region.objects.count() == 33
    assert Facility.objects.count() == 40
    assert not Region.objects.annotate(n=Count("facilities")).filter(n=0).exists()
    assert BankAccount.objects.count() == 40
    assert Product.objects.public().count() == 120
    assert summary.counts["products"] == 120
    assert not Product.objects.filter(images__isnull=True).exists()
    assert ListingReview.objects.filter(action="approve").count() == 120
    # Phone numbers went through the field's normalisation.
    assert Facility.objects.filter(phone__startswith="+62").count() == 40

    image = ProductImage.objects.first()
    for entry in image.renditions.values():
        assert (media_root / entry["webp"]).is_file()
        assert (media_root / entry["jpeg"]).is_file()
    assert (media_root / image.image.name).is_file()
    assert "320w" in image.srcset()


def test_search_vectors_are_filled_and_match_product_words(db, media_root):
    scale.generate(seed=3, media_root=media_root, **TINY)

    assert not Product.objects.filter(search_vector__isnull=True).exists()
    word = Product.objects.order_by("id").first().name.split()[0].lower()
    query = SearchQuery(word, config=SEARCH_CONFIG)
    assert Product.objects.filter(search_vector=query).exists()


def test_generator_refuses_a_database_that_already_has_a_catalog(db, media_root):
    scale.generate(seed=3, media_root=media_root, **TINY)

    with pytest.raises(scale.ScaleDataError):
        scale.generate(seed=3, media_root=media_root, **TINY)
    with pytest.raises(CommandError, match="--wipe"):
        call_command("generate_scale_data", "--products", "5", "--facilities", "33")


def test_command_wipes_and_regenerates(db, media_root, capsys):
    scale.generate(seed=3, media_root=media_root, **TINY)

    call_command(
        "generate_scale_data",
        *("--products", "30", "--facilities", "33", "--seed", "5", "--images", "2", "--wipe"),
    )

    assert Product.objects.count() == 30
    assert Facility.objects.count() == 33
    assert "products: 30" in capsys.readouterr().out


def test_orders_follow_the_status_machine_and_add_up(db, media_root):
    from orders.models import Order, OrderEvent, OrderLine, PaymentMethod
    from orders.states import TRANSITIONS

    summary = scale.generate(seed=3, media_root=media_root, orders=300, **TINY)

    assert summary.counts["orders"] == Order.objects.count() == 300
    assert OrderLine.objects.count() >= 300
    assert not Order.objects.filter(lines__isnull=True).exists()
    for order in Order.objects.prefetch_related("lines", "events"):
        assert order.subtotal == sum(line.line_total for line in order.lines.all())
        assert order.total == order.subtotal + order.shipping_fee
        events = sorted(order.events.all(), key=lambda e: (e.created_at, e.id))
        first = (
            "processing"
            if order.payment_method == PaymentMethod.PAY_AT_PICKUP
            else ("awaiting_payment")
        )
        assert events[0].from_status == "" and events[0].to_status == first
        for event in events[1:]:
            assert (event.from_status, event.to_status) in TRANSITIONS
        assert events[-1].to_status == order.status
    assert OrderEvent.objects.count() >= 300
