"""The shopper's pages, through the views: cart, checkout, confirmation, tracking."""

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import ListingStatus, Product, StockHold
from orders.cart import SESSION_KEY
from orders.models import Checkout, Order, OrderStatus, PaymentProof
from tests.orders.factories import ProductFactory, place, shop
from tests.regions_data import TEBET_POST

pytestmark = pytest.mark.django_db


def msgs(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def add(client, product, quantity, **extra):
    return client.post("/keranjang/tambah/", {"product": product.pk, "quantity": quantity, **extra})


def cart_of(client) -> dict:
    return client.session.get(SESSION_KEY) or {}


ADDRESS = dict(TEBET_POST)


def checkout_data(client, choices, *, address=True, **overrides):
    """What a shopper's browser posts: the hidden fields from the rendered form."""
    page = client.get("/checkout/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        "idempotency_key": form.idempotency_key,
        "cart_token": form.cart_token,
        "c-name": "Siti Aminah",
        "c-phone": "0812-3456-7890",
        "c-email": "siti@example.com",
        "p-agree": "on",
        "action": "place",
    }
    # One payment choice for the whole checkout (orders/forms_payment.py):
    # the facilities' payments must agree; "gateway" is QRIS unless a channel
    # is given as an override.
    payments = {payment for _delivery, payment in choices.values()} - {""}
    assert len(payments) <= 1, "one payment choice per checkout"
    for facility, (delivery, _payment) in choices.items():
        data[f"f{facility.pk}-delivery"] = delivery
    if payments:
        data["g-payment"] = "qris" if payments == {"gateway"} else payments.pop()
    if address:
        data.update(ADDRESS)
    data.update(overrides)
    return data


def png_upload(name="bukti.png"):
    out = io.BytesIO()
    image = Image.new("RGB", (300, 200), (20, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make: must not survive
    image.save(out, "PNG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


# --- the journey ----------------------------------------------------------------


def test_full_journey_two_facilities_one_checkout(client, mukena, miniature, media):
    assert add(client, mukena, 2).status_code == 302
    add(client, miniature, 1)
    cart = client.get("/keranjang/")
    body = cart.content.decode()
    assert mukena.facility.name in body and miniature.facility.name in body
    assert "Rp 350.000" in body  # 2 x 175.000 and 1 x 350.000
    assert "Keranjang" in body and "(2)" in body  # header link with the count

    data = checkout_data(
        client,
        {
            mukena.facility: ("pickup", "bank_transfer"),
            miniature.facility: ("courier", "bank_transfer"),
        },
    )
    placed = client.post("/checkout/", data)
    assert placed.status_code == 302, msgs(placed)
    checkout = Checkout.objects.get()
    assert placed.url == f"/pesanan/{checkout.code}/selesai/"
    orders = {o.facility_id: o for o in checkout.orders.all()}
    assert len(orders) == 2
    raha_order = orders[miniature.facility_id]
    assert raha_order.contact_phone == "+6281234567890"
    assert raha_order.shipping_fee == 30_000 + 20_000  # 1.8 kg -> 2 kg to Jakarta
    assert orders[mukena.facility_id].street == ""  # pickup keeps no address
    assert cart_of(client) == {}

    confirmation = client.get(placed.url).content.decode()
    for order in orders.values():
        assert order.code in confirmation
        assert order.facility.bank_accounts.get().account_number in confirmation
    assert "Rp 400.000" in confirmation  # Raha: 350.000 + 50.000

    # Double click / refresh / back-and-resubmit: the same confirmation, no new orders.
    again = client.post("/checkout/", data)
    assert again.status_code == 302 and again.url == placed.url
    assert Order.objects.count() == 2

    # Later, from another phone: code + phone number.
    other = client.__class__()
    tracked = other.post("/lacak/", {"code": raha_order.code.lower(), "phone": "+62 812 3456 7890"})
    assert tracked.status_code == 302 and tracked.url == f"/lacak/{raha_order.code}/"
    page = other.get(tracked.url).content.decode()
    assert "Menunggu pembayaran" in page and "Unggah bukti transfer" in page

    uploaded = other.post(f"/lacak/{raha_order.code}/bukti/", {"receipt": png_upload()})
    assert uploaded.status_code == 302, msgs(uploaded)
    proof = PaymentProof.objects.get(order=raha_order)
    assert proof.content_type == "image/jpeg"
    with Image.open(proof.file.path) as stored:
        assert stored.format == "JPEG" and not stored.getexif()

    # The facility's staff confirm and ship through the admin actions.
    from tests.factories import facility_staff

    staff = facility_staff(miniature.facility)
    desk = client.__class__()
    desk.force_login(staff)
    changelist = "/admin/orders/order/"
    for action in ("confirm_payment", "start_processing"):
        r = desk.post(
            changelist, {"action": action, "apply": "1", "_selected_action": [raha_order.pk]}
        )
        assert r.status_code == 302
    r = desk.post(
        changelist,
        {
            "action": "ship",
            "apply": "1",
            "_selected_action": [raha_order.pk],
            f"courier_{raha_order.pk}": "JNE",
            f"tracking_{raha_order.pk}": "JNE-0042",
        },
    )
    assert r.status_code == 302
    raha_order.refresh_from_db()
    assert raha_order.status == OrderStatus.SHIPPED
    page = other.get(f"/lacak/{raha_order.code}/").content.decode()
    assert "JNE-0042" in page and "Dikirim" in page
    desk.post(changelist, {"action": "complete", "_selected_action": [raha_order.pk]})
    raha_order.refresh_from_db()
    assert raha_order.status == OrderStatus.COMPLETED
    statuses = list(raha_order.events.values_list("to_status", flat=True))
    assert statuses == [
        "awaiting_payment",
        "awaiting_payment",  # receipt uploaded
        "paid",
        "processing",
        "shipped",
        "completed",
    ]


# --- cart -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "quantity, message",
    [
        (-1, "Jumlah minimal 1"),
        (0, "Jumlah minimal 1"),
        (10**9, "Jumlah paling banyak 9999"),
        ("dua", "angka bulat"),
        ("", "Isi jumlahnya"),
    ],
)
def test_add_refuses_bad_quantities(client, mukena, quantity, message):
    response = add(client, mukena, quantity)
    assert response.status_code == 302
    assert message in msgs(response)
    assert cart_of(client) == {}


def test_add_refuses_unknown_or_hidden_products(client, mukena):
    draft = ProductFactory(facility=mukena.facility, status=ListingStatus.DRAFT)
    for product_id in ("10000000", "abc", str(draft.pk), "-5"):
        response = client.post("/keranjang/tambah/", {"product": product_id, "quantity": 1})
        assert response.status_code == 302
        text = msgs(response)
        assert "tidak ditemukan" in text or "tidak dikenal" in text
    assert cart_of(client) == {}


def test_add_respects_stock_and_minimum(client, mukena, palembang):
    assert "tinggal 5" in msgs(add(client, mukena, 6))
    bata = ProductFactory(facility=palembang, name="Paving Block", min_order_quantity=50, stock=500)
    assert "Minimal pembelian Paving Block adalah 50" in msgs(add(client, bata, 10))
    assert cart_of(client) == {}
    add(client, mukena, 3)
    assert "tinggal 5" in msgs(add(client, mukena, 3))  # 3 + 3 > 5
    assert cart_of(client)[str(mukena.pk)]["q"] == 3


def test_posted_price_is_ignored(client, mukena):
    add(client, mukena, 1, price=1, unit_price=1)
    assert cart_of(client)[str(mukena.pk)]["p"] == 175_000


def test_cart_says_what_changed_since_adding(client, mukena, miniature, palembang):
    bread = ProductFactory(facility=palembang, name="Roti Manis", stock=4)
    add(client, mukena, 2)
    add(client, miniature, 3)
    add(client, bread, 2)
    # The cart's holds lapsed and were swept; others bought since.
    StockHold.objects.all().delete()
    Product.objects.filter(pk=mukena.pk).update(price=180_000)
    Product.objects.filter(pk=miniature.pk).update(stock=1)
    Product.objects.filter(pk=bread.pk).update(stock=0)
    response = client.get("/keranjang/")
    text = msgs(response)
    assert "Harga Mukena Bordir berubah dari Rp 175.000 menjadi Rp 180.000" in text
    assert "Stok Miniatur Kapal Jati tinggal 1" in text
    assert "Stok Roti Manis habis" in text
    cart = cart_of(client)
    assert cart[str(miniature.pk)]["q"] == 1 and str(bread.pk) not in cart
    # Said once: the next visit is quiet.
    assert msgs(client.get("/keranjang/")) == ""


def test_withdrawn_product_leaves_the_cart(client, mukena):
    add(client, mukena, 1)
    Product.objects.filter(pk=mukena.pk).update(status=ListingStatus.ARCHIVED)
    assert "tidak lagi dijual" in msgs(client.get("/keranjang/"))
    assert cart_of(client) == {}


def test_update_and_remove(client, mukena):
    add(client, mukena, 1)
    client.post("/keranjang/ubah/", {"product": mukena.pk, "quantity": 4})
    assert cart_of(client)[str(mukena.pk)]["q"] == 4
    response = client.post("/keranjang/ubah/", {"product": mukena.pk, "quantity": 99})
    assert "tinggal 5" in msgs(response) and cart_of(client)[str(mukena.pk)]["q"] == 4
    response = client.post("/keranjang/ubah/", {"product": mukena.pk, "quantity": -2})
    assert "Jumlah minimal 0" in msgs(response) and cart_of(client)[str(mukena.pk)]["q"] == 4
    client.post("/keranjang/ubah/", {"product": mukena.pk, "quantity": 4, "remove": "1"})
    assert cart_of(client) == {}


def test_made_to_order_shows_lead_time(client, palembang):
    songket = ProductFactory(
        facility=palembang, name="Songket", made_to_order=True, stock=0, lead_time_days=21
    )
    add(client, songket, 1)
    assert "sekitar 21 hari" in client.get("/keranjang/").content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_cart_page_query_budget(client, django_assert_max_num_queries, size):
    facilities = [shop(), shop(), shop()]
    for i in range(size):
        add(client, ProductFactory(facility=facilities[i % 3]), 1)
    # Session, products with their facilities, the cart's holds (read and
    # renewed in one): the same at 1 and 6 lines.
    with django_assert_max_num_queries(4):
        assert client.get("/keranjang/").status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_checkout_page_query_budget(client, django_assert_max_num_queries, size):
    facilities = [shop(), shop(), shop()]
    for i in range(size):
        add(client, ProductFactory(facility=facilities[i % 3]), 1)
    # Session, products, the cart's holds, delivery settings, rates.
    with django_assert_max_num_queries(6):
        assert client.get("/checkout/").status_code == 200


# --- checkout refusals ------------------------------------------------------------


def test_checkout_refuses_tampered_facility_ids(client, mukena, raha):
    add(client, mukena, 1)
    data = checkout_data(client, {mukena.facility: ("pickup", "bank_transfer")})
    data[f"f{raha.pk}-delivery"] = "pickup"
    data[f"f{raha.pk}-payment"] = "bank_transfer"
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    assert "UPT yang tidak ada di keranjang" in response.content.decode()
    assert not Order.objects.exists()
    # Nothing taken: the one unit is still only held for the cart.
    assert Product.objects.get(pk=mukena.pk).stock == 4
    assert StockHold.objects.get(product=mukena).quantity == 1


@pytest.mark.parametrize("key", ["a\x00b", "x" * 65, "'; DROP TABLE orders_checkout; --", "pendek"])
def test_a_tampered_idempotency_key_never_reaches_the_database(client, mukena, key):
    # Sent as multipart (as a form with a file field would be), which the NUL
    # middleware leaves to the forms: the key is not a form field.
    add(client, mukena, 1)
    data = checkout_data(client, {mukena.facility: ("pickup", "bank_transfer")})
    response = client.post("/checkout/", {**data, "idempotency_key": key})
    assert response.status_code == 302
    assert Checkout.objects.get().idempotency_key != key


def test_checkout_refuses_a_cart_changed_in_another_tab(client, mukena, miniature):
    add(client, mukena, 1)
    data = checkout_data(client, {mukena.facility: ("pickup", "bank_transfer")})
    add(client, mukena, 1)  # another tab
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    assert "Isi keranjang berubah" in response.content.decode()
    assert not Order.objects.exists()


def test_checkout_uses_catalog_prices_not_posted_ones(client, mukena):
    add(client, mukena, 1)
    data = checkout_data(
        client, {mukena.facility: ("pickup", "bank_transfer")}, price="1", total="1"
    )
    assert client.post("/checkout/", data).status_code == 302
    assert Order.objects.get().total == 175_000


def test_price_changed_before_placing_sends_shopper_back_to_cart(client, mukena):
    add(client, mukena, 1)
    data = checkout_data(client, {mukena.facility: ("pickup", "bank_transfer")})
    Product.objects.filter(pk=mukena.pk).update(price=200_000)
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    assert "Harga Mukena Bordir berubah" in response.content.decode()
    assert not Order.objects.exists()


def test_sold_out_while_paying_is_refused(client, mukena):
    from catalog import stock_holds

    add(client, mukena, 2)
    data = checkout_data(client, {mukena.facility: ("pickup", "bank_transfer")})
    # The shopper left the form open past the hold: the sweep gave the two
    # units back, and someone else was quicker.
    StockHold.objects.update(expires_at="2000-01-01T00:00Z")
    assert stock_holds.holds_expire() == 1
    place([(mukena, 4)])
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    assert "Stok Mukena Bordir tinggal 1" in response.content.decode()
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=mukena.pk).stock == 1


def test_address_only_required_for_delivery(client, mukena, miniature):
    add(client, mukena, 1)
    add(client, miniature, 1)
    data = checkout_data(
        client,
        {
            mukena.facility: ("pickup", "bank_transfer"),
            miniature.facility: ("courier", "bank_transfer"),
        },
        address=False,
    )
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    assert "Wajib diisi untuk pengiriman" in response.content.decode()
    assert not Order.objects.exists()
    # Pay at pickup is one choice for the checkout: only when everything is picked up.
    data["g-payment"] = "pay_at_pickup"
    response = client.post("/checkout/", data)
    assert "Bayar saat ambil hanya bila semua pesanan diambil" in response.content.decode()
    data[f"f{miniature.facility.pk}-delivery"] = "pickup"
    assert client.post("/checkout/", data).status_code == 302
    assert {o.status for o in Order.objects.all()} == {"processing"}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("c-phone", "12345", "Nomor telepon tidak valid"),
        ("c-phone", "+44 20 7946 0958", "Gunakan nomor Indonesia"),
        ("c-email", "bukan-email", "Alamat email tidak valid"),
        ("c-name", "", "Isi nama lengkap Anda"),
        ("c-phone", "", "Isi nomor HP Anda"),
        ("DELIVERY", "teleport", "Pilih cara pengiriman yang tersedia"),
        ("g-payment", "crypto", "Pilih cara bayar dari daftar"),
        ("a-postal_code", "12AB", "bukan kode pos kelurahan/desa yang dipilih"),
        ("a-postal_code", "12820", "bukan kode pos kelurahan/desa yang dipilih"),
        ("a-province", "Atlantis", "Provinsi tidak dikenal"),
        ("a-regency", "16.71", "tidak berada di provinsi yang dipilih"),
        ("a-district", "16.71.04", "tidak berada di kabupaten/kota yang dipilih"),
        ("a-district", "31.74.99", "Kecamatan tidak dikenal"),
        ("a-village", "16.71.04.1001", "tidak berada di kecamatan yang dipilih"),
        ("a-village", "31.74.01.9999", "Kelurahan/desa tidak dikenal"),
    ],
)
def test_checkout_bad_input_is_refused_clearly(client, miniature, field, value, message):
    add(client, miniature, 1)
    data = checkout_data(client, {miniature.facility: ("courier", "bank_transfer")})
    field = {
        "DELIVERY": f"f{miniature.facility.pk}-delivery",
    }.get(field, field)
    data[field] = value
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    assert re.search(message, response.content.decode(), re.I)
    assert not Order.objects.exists() and Product.objects.get(pk=miniature.pk).stock == 2
    assert StockHold.objects.get(product=miniature).quantity == 1  # still held, not taken


def test_local_only_cannot_choose_courier(client, palembang):
    pempek = ProductFactory(facility=palembang, name="Pempek", local_only=True)
    add(client, pempek, 2)
    page = client.get("/checkout/").content.decode()
    assert 'value="courier"' not in page
    data = checkout_data(client, {palembang: ("courier", "bank_transfer")})
    response = client.post("/checkout/", data)
    assert response.status_code == 400
    assert "Pilih cara pengiriman yang tersedia" in response.content.decode()
    assert not Order.objects.exists()


def test_confirmation_is_only_for_the_browser_that_checked_out(client, mukena):
    result = place([(mukena, 1)])
    response = client.get(f"/pesanan/{result.checkout.code}/selesai/")
    assert response.status_code == 302 and response.url == "/lacak/"


# --- tracking -------------------------------------------------------------------


def test_wrong_code_and_wrong_phone_get_the_same_answer(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    wrong_code = client.post("/lacak/", {"code": "ACDEFGHJKM", "phone": "081234567890"})
    wrong_phone = client.post("/lacak/", {"code": order.code, "phone": "081299999999"})
    garbage = client.post("/lacak/", {"code": "x", "phone": "y"})
    assert wrong_code.status_code == wrong_phone.status_code == garbage.status_code == 404
    assert msgs(wrong_code) == msgs(wrong_phone) == msgs(garbage)
    assert "tidak cocok" in msgs(wrong_code)

    def page(response):
        return re.sub(
            r'value="[^"]+"(?=[^>]*csrf)|(?<=csrfmiddlewaretoken" value=")[^"]+',
            "",
            response.content.decode(),
        )

    assert page(wrong_code) == page(wrong_phone) == page(garbage)
    assert order.code not in page(wrong_phone)


def test_tracking_guesses_are_rate_limited(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    for _ in range(10):
        assert client.post("/lacak/", {"code": "ACDEFGHJKM", "phone": "0812"}).status_code == 404
    blocked = client.post("/lacak/", {"code": order.code, "phone": "081234567890"})
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in msgs(blocked)
    # Another phone is not blocked, behind the same address or elsewhere.
    for address in ("127.0.0.1", "10.0.0.9"):
        other = client.__class__().post(
            "/lacak/", {"code": order.code, "phone": "081234567890"}, REMOTE_ADDR=address
        )
        assert other.status_code == 302


def test_order_page_needs_code_and_phone_first(client, mukena):
    order = place([(mukena, 1)]).orders[0]
    assert client.get(f"/lacak/{order.code}/").url == "/lacak/"
    response = client.post(f"/lacak/{order.code}/bukti/", {"receipt": png_upload()})
    assert response.url == "/lacak/" and not PaymentProof.objects.exists()
    response = client.post(f"/lacak/{order.code}/batal/")
    assert response.url == "/lacak/"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def _tracking(client, order):
    client.post("/lacak/", {"code": order.code, "phone": "081234567890"})


def test_pdf_receipt_accepted_and_fakes_refused(client, mukena, media):
    order = place([(mukena, 1)]).orders[0]
    _tracking(client, order)
    url = f"/lacak/{order.code}/bukti/"
    fake = SimpleUploadedFile("bukti.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(url, {"receipt": fake})
    assert response.status_code == 400 and "foto atau PDF" in msgs(response)
    big = SimpleUploadedFile("b.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = client.post(url, {"receipt": big})
    assert response.status_code == 400 and "maksimal 5 MB" in msgs(response)
    assert not PaymentProof.objects.exists()
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    assert client.post(url, {"receipt": pdf}).status_code == 302
    proof = PaymentProof.objects.get()
    assert proof.content_type == "application/pdf" and proof.file.name.endswith(".pdf")


def test_receipt_refused_once_paid(client, mukena, media):
    from orders import services
    from tests.factories import head_office_user

    order = place([(mukena, 1)]).orders[0]
    services.order_confirm_payment(order=order, actor=head_office_user())
    _tracking(client, order)
    response = client.post(f"/lacak/{order.code}/bukti/", {"receipt": png_upload()})
    assert response.status_code == 400
    assert "tidak sedang menunggu bukti transfer" in msgs(response)


def test_shopper_cancels_from_tracking_page(client, mukena):
    order = place([(mukena, 2)]).orders[0]
    _tracking(client, order)
    response = client.post(f"/lacak/{order.code}/batal/", {"reason": "salah ukuran"})
    assert "dibatalkan" in msgs(response).lower()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED and order.cancel_reason == "salah ukuran"
    assert Product.objects.get(pk=mukena.pk).stock == 5


@pytest.mark.parametrize("lines", [1, 8])
def test_tracking_page_query_budget(client, django_assert_max_num_queries, lines, palembang):
    products = [ProductFactory(facility=palembang) for _ in range(lines)]
    order = place([(p, 1) for p in products]).orders[0]
    _tracking(client, order)
    with django_assert_max_num_queries(7):
        assert client.get(f"/lacak/{order.code}/").status_code == 200


def test_product_page_form_adds_to_cart(client, mukena):
    page = client.get(mukena.get_absolute_url()).content.decode()
    assert 'data-post-url="/keranjang/tambah/"' in page and f'value="{mukena.pk}"' in page
    assert 'max="5"' in page  # the stock


def test_sold_out_product_page_has_no_cart_form(client, mukena):
    Product.objects.filter(pk=mukena.pk).update(stock=0)
    page = client.get(mukena.get_absolute_url()).content.decode()
    assert 'data-post-url="/keranjang/tambah/"' not in page and "Stok sedang habis" in page


@pytest.mark.parametrize("facilities", [1, 3])
def test_confirmation_page_query_budget(client, django_assert_max_num_queries, facilities):
    for _ in range(facilities):
        product = ProductFactory(facility=shop())
        add(client, product, 1)
    data = checkout_data(client, {})
    for group in client.get("/checkout/").context["snapshot"].groups:
        data[f"f{group.facility.pk}-delivery"] = "pickup"
    data["g-payment"] = "bank_transfer"
    placed = client.post("/checkout/", data)
    assert placed.status_code == 302
    # Session, orders, lines, bank accounts, receipts, the checkout's gateway charge.
    with django_assert_max_num_queries(6):
        page = client.get(placed.url)
    assert page.content.decode().count("order-code") == facilities


def test_receipt_mails_the_facility(client, mukena, media, django_capture_on_commit_callbacks):
    from django.core import mail

    order = place([(mukena, 1)]).orders[0]
    _tracking(client, order)
    mail.outbox.clear()
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/lacak/{order.code}/bukti/", {"receipt": pdf})
    assert [m.to for m in mail.outbox] == [[mukena.facility.email]]
    assert order.code in mail.outbox[0].subject


def test_preview_shows_the_courier_fee_and_places_nothing(client, miniature):
    add(client, miniature, 2)  # 3.6 kg -> 4 kg; Jakarta: 30.000 + 3 x 20.000
    data = checkout_data(
        client, {miniature.facility: ("courier", "bank_transfer")}, action="preview"
    )
    response = client.post("/checkout/", data)
    assert response.status_code == 200
    assert "<strong>Rp 90.000</strong>" in response.content.decode()
    assert not Order.objects.exists()
