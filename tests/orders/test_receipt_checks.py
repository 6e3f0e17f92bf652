"""Receipt uploads check what is cheap before anything is decoded.

An order that takes no receipt (paid, cancelled, at its count) refuses the
file from one database read; a file with too many pixels for a receipt is
refused from its header. Neither costs a decode: each test spies on the one
function that decodes pixels (core.images._decode).
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images
from orders import services
from orders.models import PaymentProof
from orders.payments.receipt_files import RECEIPT_MAX_PIXELS
from orders.payments.services.receipts import payment_proof_submit
from tests.factories import head_office_user
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (250, 250, 250)).save(out, "PNG")
    return out.getvalue()


BOMB = _png(6320, 6320)  # 40 megapixels in about 130 KB: what the attacker sent
SMALL = _png(300, 200)


def _upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("bukti.png", data, content_type="image/png")


@pytest.fixture
def decodes(monkeypatch):
    """Every call of the decoder, recorded (and still made)."""
    calls = []
    real = images._decode

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(images, "_decode", spy)
    return calls


@pytest.fixture
def order(media):
    facility = shop(name="Rutan Raha Bukti", city="Raha")
    return place([(ProductFactory(facility=facility, stock=5), 1)]).orders[0]


def _paid(order):
    services.order_confirm_payment(order=order, actor=head_office_user())


def _cancelled(order):
    services.order_cancel(order=order, by_shopper=True)


def _full(order):
    for _ in range(services.MAX_PROOFS_PER_ORDER):
        payment_proof_submit(order=order, upload=_upload(SMALL))


@pytest.mark.parametrize(
    "make_closed, message",
    [
        (_paid, "tidak sedang menunggu bukti transfer"),
        (_cancelled, "tidak sedang menunggu bukti transfer"),
        (_full, "Sudah 5 bukti diunggah"),
    ],
    ids=["paid", "cancelled", "at-its-count"],
)
@pytest.mark.parametrize("data", [BOMB, _png(3000, 2000)], ids=["bomb", "fine-photo"])
def test_an_order_that_takes_no_receipt_refuses_before_decoding(
    order, decodes, make_closed, message, data
):
    make_closed(order)
    proofs = PaymentProof.objects.count()
    decodes.clear()
    with pytest.raises(services.OrderError, match=message):
        payment_proof_submit(order=order, upload=_upload(data))
    assert decodes == []
    assert PaymentProof.objects.count() == proofs


def test_a_receipt_over_the_receipt_pixel_limit_is_refused_from_its_header(order, decodes):
    with pytest.raises(services.OrderError, match="paling banyak 16 megapiksel") as refused:
        payment_proof_submit(order=order, upload=_upload(BOMB))
    assert "foto atau PDF" in str(refused.value)
    assert decodes == []
    assert not PaymentProof.objects.exists()


def test_the_receipt_limit_is_far_below_the_product_photo_limit_and_inclusive(order, decodes):
    assert RECEIPT_MAX_PIXELS <= images.MAX_PIXELS // 2
    # A phone screenshot and a 16-megapixel phone photo both fit.
    payment_proof_submit(order=order, upload=_upload(_png(1080, 2400)))
    payment_proof_submit(order=order, upload=_upload(_png(4000, 4000)))
    assert len(decodes) == 2
    with pytest.raises(services.OrderError, match="megapiksel"):
        payment_proof_submit(order=order, upload=_upload(_png(4001, 4000)))
    assert len(decodes) == 2
    assert PaymentProof.objects.filter(order=order).count() == 2


def test_a_stored_receipt_is_only_the_original(order):
    # Renditions are for storefront pages; a receipt makes none.
    proof = payment_proof_submit(order=order, upload=_upload(_png(3000, 2000)))
    stored = Image.open(proof.file)
    assert stored.format == "JPEG" and stored.size == (2560, 1707)


def test_a_tracked_shopper_sending_a_bomb_to_a_paid_order_gets_the_order_message(
    client, order, decodes
):
    _paid(order)
    assert client.post("/lacak/", {"code": order.code, "phone": "081234567890"}).status_code == 302
    response = client.post(f"/lacak/{order.code}/bukti/", {"receipt": _upload(BOMB)})
    assert response.status_code == 400
    assert "tidak sedang menunggu bukti transfer" in response.content.decode()
    assert decodes == []


def test_when_every_decode_slot_stays_taken_the_upload_is_refused_as_busy(
    order, decodes, monkeypatch
):
    monkeypatch.setattr(images, "DECODE_WAIT_SECONDS", 0.05)
    slots = images._decode_slots()
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    try:
        with pytest.raises(services.OrderError, match="Coba unggah lagi"):
            payment_proof_submit(order=order, upload=_upload(SMALL))
    finally:
        for _ in range(taken):
            slots.release()
    assert decodes == [] and not PaymentProof.objects.exists()
    # Once a slot is free, the same upload goes through.
    payment_proof_submit(order=order, upload=_upload(SMALL))
    assert len(decodes) == 1
