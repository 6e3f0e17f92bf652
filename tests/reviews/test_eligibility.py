"""Whoever did not buy gets exactly the wrong-code answer: a wrong code, a
wrong phone, another order's line, a second review, an order not yet
delivered, a review past the window, with photos or without. The pages are
compared byte for byte (CSRF tokens and the language switch's return
address aside) with the tracking form's miss."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from orders.models import OrderEvent, OrderStatus
from reviews.models import ProductReview, ReviewPhoto
from tests.orders.test_services import _order_in
from tests.orders.test_views import _tracking

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
# The language switch returns to the address the visitor asked for: theirs.
NEXT = re.compile(r'(name="next" type="hidden" value=")[^"]+(")')


def _page(response):
    body = response.content.decode()
    return response.status_code, NEXT.sub(r"\1-\2", TOKEN.sub(r"\1-\2", body))


def _wrong_code(client):
    return _page(client.post("/lacak/", {"code": "KBSALAH1234", "phone": "081234567890"}))


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 20, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), "image/png")


def _post(client, order, line, **extra):
    data = {"rating": "5", "text": "Bagus", "photos": [_png()], **extra}
    return client.post(f"/lacak/{order.code}/ulasan/{line.pk}/", data)


@pytest.fixture
def done(mukena):
    return _order_in(OrderStatus.COMPLETED, mukena)[0]


def test_every_refusal_is_the_wrong_code_page(client, mukena, done, media):
    expected = _wrong_code(client)
    assert expected[0] == 404
    line = done.lines.get()
    refusals = {}
    # Wrong phone: the tracking form refused, so the session proved nothing.
    client.post("/lacak/", {"code": done.code, "phone": "081299999999"})
    refusals["wrong phone"] = _post(client, done, line)
    # A made-up code in the URL.
    refusals["wrong code"] = client.post(f"/lacak/KBSALAH1234/ulasan/{line.pk}/", {"rating": "5"})
    # Another order's line through an order the shopper did prove.
    other = _order_in(OrderStatus.COMPLETED, mukena)[0]
    _tracking(client, other)
    refusals["another order's line"] = _post(client, other, line)
    # Not delivered yet.
    shipped = _order_in(OrderStatus.SHIPPED, mukena, delivery="courier")[0]
    _tracking(client, shipped)
    refusals["not delivered"] = _post(client, shipped, shipped.lines.get())
    # A second review of the same line.
    _tracking(client, done)
    first = _post(client, done, line)
    assert first.status_code == 302
    client.get(first["Location"])  # the thank-you message is shown, not carried over
    refusals["second review"] = _post(client, done, line, rating="1")
    # Past the window.
    OrderEvent.objects.filter(order=other, to_status="completed").update(
        created_at=timezone.now() - timedelta(days=31)
    )
    refusals["past the window"] = _post(client, other, other.lines.get())
    for case, response in refusals.items():
        assert _page(response) == expected, case
    assert ProductReview.objects.count() == 1 and ReviewPhoto.objects.count() == 1
