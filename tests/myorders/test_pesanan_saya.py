"""Pesanan saya: a phone, a one-time code by WhatsApp (and mail), then every
order and quote of that phone on that browser, newest first; the limits a
guesser meets; the same answer whether or not the phone has orders."""

import re

import pytest
from django.test import Client

from gatewaysim import whatsapp as sim
from myorders import codes
from orders import services as order_services
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+6281234567890"
OTHER = "+6285711112222"


@pytest.fixture
def wa(settings, live_server):
    settings.WHATSAPP_SIMULATOR = True
    settings.WHATSAPP_TOKEN = "tok"
    settings.WHATSAPP_PHONE_NUMBER_ID = "123"
    settings.WHATSAPP_APP_SECRET = "secret"
    settings.WHATSAPP_API_BASE_URL = live_server.url + "/_simulator/whatsapp"
    return settings


def _orders(phone=PHONE, email="siti@example.com", n=2):
    contact = order_services.Contact(name="Siti", phone=phone, email=email)
    made = []
    for _ in range(n):
        product = ProductFactory(facility=shop(), stock=10)
        made += place([(product, 1)], contact=contact).orders
    return made


def _code_sent(phone=PHONE):
    got = [m for m in sim.received(phone) if m["template"] == "kb_kode_masuk"]
    return got[-1]["params"][0] if got else None


def _ask(client, phone="0812-3456-7890"):
    return client.post("/pesanan-saya/", {"phone": phone})


def test_code_signs_this_browser_in_and_lists_every_order_newest_first(wa, mailoutbox):
    from tests.quotes.conftest import make_request

    first, second = _orders()
    product = ProductFactory(facility=shop(), stock=50)
    quote_request = make_request(product.facility, [(product, 20)], contact_phone=PHONE)
    _orders(phone=OTHER, n=1)  # someone else's: never listed
    client = Client()
    response = _ask(client)
    assert response.status_code == 302 and response.url == "/pesanan-saya/kode/"
    otp = _code_sent()
    assert re.fullmatch(r"\d{6}", otp)
    [mail] = [m for m in mailoutbox if "Kode masuk" in m.subject]
    assert mail.to == ["pupr@example.go.id"] and otp in mail.body  # the newest address given
    # Stored hashed: the session never holds the code itself.
    assert otp not in str(dict(client.session))
    response = client.post("/pesanan-saya/kode/", {"otp": otp})
    assert response.status_code == 302
    page = client.get("/pesanan-saya/").content.decode()
    # Newest first: the quote request, then the second order, then the first.
    assert page.index(quote_request.code) < page.index(second.code) < page.index(first.code)
    assert f"/penawaran/{quote_request.token}/" in page
    assert "Menunggu" in page or "Diproses" in page or "Dibayar" in page or "Dibuat" in page
    # Opening an order from the list signs the browser in for it.
    response = client.get(f"/pesanan-saya/buka/{first.code}/")
    assert response.url == f"/lacak/{first.code}/"
    assert client.get(response.url).status_code == 200
    # Another browser is not signed in, nor can it open the list's links.
    stranger = Client()
    assert "Kirim kode" in stranger.get("/pesanan-saya/").content.decode()
    assert stranger.get(f"/pesanan-saya/buka/{first.code}/").url == "/pesanan-saya/"


def test_same_answer_whether_or_not_the_phone_has_orders(wa):
    _orders(n=1)
    with_orders, without = Client(), Client()
    a = _ask(with_orders)
    b = _ask(without, "0857-1111-2222")
    assert (a.status_code, a.url) == (b.status_code, b.url)
    page_a = with_orders.get(a.url).content.decode().replace("7890", "XXXX")
    page_b = without.get(b.url).content.decode().replace("2222", "XXXX")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|\+62\S+')
    assert strip.sub("", page_a) == strip.sub("", page_b)
    assert _code_sent(OTHER) is None  # nothing sent where there is nothing to show


def test_a_wrong_code_five_times_uses_the_code_up(wa):
    _orders(n=1)
    client = Client()
    _ask(client)
    otp = _code_sent()
    wrong = f"{(int(otp) + 1) % 10**6:06d}"
    for _ in range(codes.ATTEMPTS_PER_CODE - 1):
        assert client.post("/pesanan-saya/kode/", {"otp": wrong}).status_code == 400
    client.post("/pesanan-saya/kode/", {"otp": wrong})
    # The right code no longer works: it is gone with its attempts.
    response = client.post("/pesanan-saya/kode/", {"otp": otp})
    assert response.status_code == 302 and response.url == "/pesanan-saya/"
    assert "Kirim kode" in client.get("/pesanan-saya/").content.decode()


def test_an_expired_code_does_not_sign_in(wa, monkeypatch):
    _orders(n=1)
    client = Client()
    _ask(client)
    otp = _code_sent()
    session = client.session
    session[codes.CODE_KEY]["expires"] = 0
    session.save()
    client.post("/pesanan-saya/kode/", {"otp": otp})
    assert codes.SIGNED_IN_KEY not in client.session


def test_sends_are_limited_per_phone_across_browsers(wa):
    _orders(n=1)
    for _ in range(codes.CODES_PER_PHONE_PER_HOUR):
        assert _ask(Client()).status_code == 302
    assert _ask(Client()).status_code == 429
    assert len([m for m in sim.received(PHONE) if m["template"] == "kb_kode_masuk"]) == 3


def test_sends_are_limited_per_browser(wa):
    client = Client()
    phones = ["0811111111", "0811111112", "0811111113", "0811111114"]
    answers = [_ask(client, p).status_code for p in phones]
    assert answers == [302, 302, 302, 429]


def test_wrong_codes_are_limited_per_phone_across_browsers(wa):
    _orders(n=1)
    refused = 0
    for _ in range(codes.FAILURES_PER_PHONE_PER_HOUR + 1):
        client = Client()
        from core.models import RateCounter

        RateCounter.objects.filter(key__startswith="mine_code").delete()  # fresh sends
        _ask(client)
        response = client.post("/pesanan-saya/kode/", {"otp": "000000"})
        refused += response.status_code == 429
    assert refused == 1  # the 11th wrong code in the hour is refused outright


def test_control_without_the_per_phone_limit_a_fourth_send_goes_out(wa, monkeypatch):
    monkeypatch.setattr(codes, "CODES_PER_PHONE_PER_HOUR", 99)
    _orders(n=1)
    for _ in range(4):
        assert _ask(Client()).status_code == 302
    assert len([m for m in sim.received(PHONE) if m["template"] == "kb_kode_masuk"]) == 4


def test_a_bad_phone_is_told_at_the_top_and_at_the_field():
    page = Client().post("/pesanan-saya/", {"phone": "12"})
    assert page.status_code == 400
    text = page.content.decode()
    assert 'class="error-summary"' in text and text.count("Nomor telepon tidak valid") == 2


def test_sign_out(wa):
    _orders(n=1)
    client = Client()
    _ask(client)
    client.post("/pesanan-saya/kode/", {"otp": _code_sent()})
    assert codes.SIGNED_IN_KEY in client.session
    client.post("/pesanan-saya/keluar/")
    assert codes.SIGNED_IN_KEY not in client.session
