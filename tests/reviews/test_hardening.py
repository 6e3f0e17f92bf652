"""Review submission under pressure: the rate limit, hostile text, and two
submissions for the same order line at the same moment (with a control)."""

import threading

import pytest
from django.db import connection

from orders.models import OrderStatus
from reviews import services
from reviews.models import ProductReview
from tests.factories import facility_staff
from tests.orders.concurrency_helpers import run_together
from tests.orders.test_services import _order_in
from tests.orders.test_views import _tracking


def _post(client, order, line, text="Bagus"):
    return client.post(f"/lacak/{order.code}/ulasan/{line.pk}/", {"rating": "5", "text": text})


@pytest.mark.django_db
def test_review_posts_are_rate_limited_per_session(client, mukena, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "review": {"per_session": 3, "per_address": 100, "window": 3600},
    }
    done = _order_in(OrderStatus.COMPLETED, mukena)[0]
    _tracking(client, done)
    line = done.lines.get()
    for _ in range(3):
        assert _post(client, done, line, text="x" * 2001).status_code == 302  # refused by the form
    blocked = _post(client, done, line)
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()
    assert not ProductReview.objects.exists()


@pytest.mark.django_db
def test_hostile_text_is_refused_or_escaped(client, mukena, palembang):
    done = _order_in(OrderStatus.COMPLETED, mukena)[0]
    _tracking(client, done)
    line = done.lines.get()
    _post(client, done, line, text="a" * 2001)  # too long: refused, nothing stored
    assert not ProductReview.objects.exists()
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert _post(client, done, line, text=hostile).status_code == 302
    review = ProductReview.objects.get()
    services.review_publish(review=review, actor=facility_staff(palembang), checklist_ok=True)
    page = client.get(mukena.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(" in page
    assert '<script>alert("x")' not in page and "<img src=x" not in page


def _two_submissions_at_once(order, line, monkeypatch):
    """Both submissions pass the eligibility check before either writes: the
    check-then-insert window held wide open by a barrier."""
    gate = threading.Barrier(2)
    checked = services.eligible_line

    def check_then_wait(**kwargs):
        found = checked(**kwargs)
        gate.wait(timeout=20)
        return found

    monkeypatch.setattr(services, "eligible_line", check_then_wait)
    return run_together(
        [
            lambda: services.review_submit(order=order, line_id=line.pk, rating=5, text="satu"),
            lambda: services.review_submit(order=order, line_id=line.pk, rating=4, text="dua"),
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_two_submissions_for_one_line_make_one_review(mukena, monkeypatch):
    order = _order_in(OrderStatus.COMPLETED, mukena)[0]
    line = order.lines.get()
    results = _two_submissions_at_once(order, line, monkeypatch)
    assert sum(isinstance(r, ProductReview) for r in results) == 1, results
    assert sum(isinstance(r, services.ReviewRefused) for r in results) == 1, results
    assert ProductReview.objects.filter(order_line=line).count() == 1


@pytest.mark.django_db(transaction=True)
def test_without_the_unique_constraint_the_race_makes_two(mukena, monkeypatch):
    """Control: with the one-review-per-line unique index dropped, the same race
    stores two reviews, so the test above proves the constraint, not luck."""
    table = ProductReview._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    name = next(
        n for n, c in constraints.items() if c["unique"] and c["columns"] == ["order_line_id"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    try:
        order = _order_in(OrderStatus.COMPLETED, mukena)[0]
        line = order.lines.get()
        results = _two_submissions_at_once(order, line, monkeypatch)
        assert all(isinstance(r, ProductReview) for r in results), results
        assert ProductReview.objects.filter(order_line=line).count() == 2
    finally:
        ProductReview.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" UNIQUE ("order_line_id")'
            )
