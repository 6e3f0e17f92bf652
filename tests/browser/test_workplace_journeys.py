"""The staff's workplace on a 360x740 phone, in a real browser.

Three people: the facility officer (add a product with a photo and submit it
in one step; take a bank-transfer order from its receipt to shipped; the
to-do list), the Kanwil reviewer (queue -> what changed -> approve) and head
office (dashboard and sales report readable, an export downloaded).

Every step fails on what a person on a phone would trip over: the page
scrolling sideways, a tap target under 44 px, a console error, or an English
word left in the Indonesian admin.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalog.models import ListingStatus, Product
from orders import services as order_services
from orders.models import OrderStatus
from orders.payments.services.receipts import payment_proof_submit
from tests.factories import (
    RegionFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)
from tests.orders.factories import JAKARTA, CategoryFactory, ProductFactory, place, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}

# Words that give away an untranslated admin (Django's English, stored codes).
ENGLISH = [
    r"\bChange\b",
    r"\bNone\b",
    r"\bGo\b",
    r"\bFROM STATUS\b",
    r"\bTO STATUS\b",
    r"\bUPDATED AT\b",
    r"\bUPLOAD\b",
    r"Django administration",
    r"Administrasi Django",
    r"\bRUBAH\b|\bRubah\b",
    r"\bSave\b",
    r"\bDelete\b",
    r"\bSearch\b",
    r"\bWelcome\b",
    r"\bLog out\b",
    r"awaiting_payment|ready_for_pickup|pending_review|changes_requested",
    r"\bshopper\b",
]

# A phone browser widens its layout viewport to fit wide content, so the page's
# width is compared with the screen's, never with window.innerWidth.
AUDIT = """
(screen) => {
  const problems = [];
  const overflow = document.documentElement.scrollWidth - screen;
  if (overflow > 1) problems.push(`page scrolls sideways by ${overflow}px`);
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '.select2-selection';
  for (const el of document.querySelectorAll(selector)) {
    // select2 hides the real select (1 px) behind its own box, checked instead.
    if (el.classList.contains('select2-hidden-accessible')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    let rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    // Django's "skip to content" link waits off-screen until focused.
    if (rect.right <= 0 || rect.bottom <= 0) continue;
    if ((el.type === 'checkbox' || el.type === 'radio' || el.type === 'file') && el.labels
        && el.labels.length) {
      const label = el.labels[0].getBoundingClientRect();
      rect = {
        width: Math.max(rect.width, label.width),
        height: Math.max(rect.height, label.height),
      };
    }
    if (rect.width < 43.5 || rect.height < 43.5) {
      const name = (el.innerText || el.value || el.name || el.getAttribute('href') || '')
        .trim().slice(0, 40);
      problems.push(`${el.tagName.toLowerCase()} "${name}" is ${Math.round(rect.width)}x`
        + `${Math.round(rect.height)}px`);
    }
  }
  return problems;
}
"""


class Desk:
    """A journey through the admin at one size that counts the taps it makes."""

    def __init__(self, chromium, base_url: str, name: str, size: dict):
        from tests.browser.conftest import Journey

        context = chromium.new_context(locale="id-ID", **size)
        context.set_default_timeout(30_000)
        label = "phone360" if size is PHONE else "desktop"
        self.journey = Journey(context, base_url, name, "phone" if size is PHONE else "desktop")
        self.journey.name = f"{name}-{label}"
        self.page = self.journey.page
        self.phone = size is PHONE
        self.width = size["viewport"]["width"]
        self.taps = 0

    def close(self):
        self.journey.context.close()

    def check(self, label: str) -> None:
        self.journey.check(label)
        problems = self.page.evaluate(AUDIT, self.width)
        if not self.phone or "/admin/" not in self.page.url:
            # At 1366 px only the fit matters (Django's desktop controls are
            # mouse-sized); the public pages' header is the storefront's own.
            problems = [p for p in problems if "sideways" in p]
        text = self.page.evaluate("() => document.body.innerText")
        for word in ENGLISH:
            found = re.search(word, text)
            if found:
                around = text[max(0, found.start() - 40) : found.end() + 40].replace("\n", " | ")
                problems.append(f"English/raw word {word!r} in “…{around}…”")
        assert not problems, f"{self.journey.name} ({label}): " + "; ".join(problems)

    def visit(self, path: str, label: str) -> None:
        self.page.goto(self.journey.url(path), wait_until="load")
        self.check(label)

    def tap(self, locator, label: str) -> None:
        self.taps += 1
        locator.click()
        self.page.wait_for_load_state("load")
        self.check(label)

    def login(self, username: str) -> None:
        self.visit("/admin/login/", "login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "pass-word-123")
        self.tap(self.page.locator("input[type=submit]"), "home")
        assert "/admin/login/" not in self.page.url


def _photo(path):
    image = Image.new("RGB", (1200, 900), (150, 90, 40))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def place_setup(media, transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    region = RegionFactory(name="Kanwil Sumatera Selatan", slug="kanwil-sumsel-kerja")
    facility = shop(
        region=region,
        name="Lapas Perempuan Palembang",
        slug="lapas-perempuan-palembang-kerja",
        city="Palembang",
        province="Sumatera Selatan",
    )
    facility.delivery_settings.courier_enabled = True
    facility.delivery_settings.save()
    CategoryFactory(name_id="Kerajinan Kayu", name_en="Woodcraft", slug="kerajinan-kayu-kerja")
    return {
        "region": region,
        "facility": facility,
        "staff": facility_staff(facility),
        "reviewer": regional_reviewer(region),
    }


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone360", "desktop1366"])
def test_officer_adds_a_product_and_submits_it_in_one_step(
    chromium, live_server, place_setup, tmp_path, size
):
    desk = Desk(chromium, live_server.url, "officer-product", size)
    page = desk.page
    try:
        desk.login(place_setup["staff"].username)
        desk.visit("/admin/catalog/product/add/", "add product")
        page.select_option("#id_category", label="Kerajinan Kayu")
        page.fill("#id_name", "Miniatur Rumah Limas")
        page.fill("#id_description", "Miniatur rumah adat Palembang dari kayu, dibuat di bengkel.")
        page.fill("#id_price", "165000")
        page.fill("#id_stock", "3")
        page.fill("#id_weight_grams", "900")
        page.set_input_files("#id_images-0-upload", str(_photo(tmp_path / "limas.jpg")))
        page.fill("#id_images-0-alt_text", "Miniatur rumah limas dari kayu")
        desk.tap(page.locator("#kb-submit-review"), "saved and submitted")
        product = Product.objects.get(name="Miniatur Rumah Limas")
        assert product.status == ListingStatus.PENDING_REVIEW
        assert product.images.count() == 1
        assert page.locator("#kb-listing-status").inner_text() == "Menunggu tinjauan"

        desk.visit("/admin/catalog/product/", "product list")
        body = page.locator("#result_list").inner_text()
        assert "Rp 165.000" in body and "Menunggu tinjauan" in body
    finally:
        desk.close()


def _bank_transfer_order(facility, product):
    order = place([(product, 1)], delivery="courier", address=JAKARTA).orders[0]
    payment_proof_submit(
        order=order,
        upload=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"),
    )
    return order


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone360", "desktop1366"])
def test_officer_takes_a_bank_transfer_order_from_receipt_to_shipped(
    chromium, live_server, place_setup, size, capsys
):
    facility = place_setup["facility"]
    songket = ProductFactory(facility=facility, name="Songket Palembang", price=165_000, stock=4)
    order = _bank_transfer_order(facility, songket)
    desk = Desk(chromium, live_server.url, "officer-ship", size)
    page = desk.page
    try:
        desk.login(place_setup["staff"].username)
        desk.visit("/admin/orders/order/tugas/", "to-do list")
        assert order.code in page.locator("#todo-receipts").inner_text()
        desk.taps = 0  # counted from the to-do list

        desk.tap(page.locator(f"#todo-receipts a[data-code='{order.code}']"), "order page")
        summary = page.locator(".kb-order-summary").inner_text()
        assert "Menunggu pembayaran" in summary and "Rp" in summary
        assert page.locator("#kb-receipt-link").is_visible()
        assert page.locator("#kb-whatsapp").get_attribute("href").startswith("https://wa.me/62")
        # The receipt link is near the top: on the first screen of a phone.
        assert page.locator("#kb-receipt-link").bounding_box()["y"] < 740

        desk.tap(page.locator("[data-step=confirm_payment]"), "confirm question")
        assert "sudah masuk?" in page.locator("#content").inner_text()
        desk.tap(page.locator("#kb-step-then-ship"), "ship form")
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
        assert page.locator("label[for=id_courier]").inner_text() == "Kurir"
        assert page.locator("label[for=id_tracking_number]").inner_text() == "Nomor resi"
        page.fill("#id_courier", "JNE")
        page.fill("#id_tracking_number", "JNE-0042-PLG")
        desk.tap(page.locator("#kb-step-submit"), "shipped")
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED and order.tracking_number == "JNE-0042-PLG"
        assert f"Pesanan {order.code}: Dikirim." in page.locator(".messagelist").inner_text()
        assert page.locator("#kb-order-status").inner_text() == "Dikirim"
        receipt_taps = desk.taps

        # A paid parcel waiting in "to pack": to-do list -> Dikirim.
        second = _bank_transfer_order(facility, songket)
        order_services.order_confirm_payment(order=second, actor=place_setup["staff"])
        desk.visit("/admin/orders/order/tugas/", "to-do list again")
        desk.taps = 0
        desk.tap(page.locator(f"#todo-to_pack a[data-code='{second.code}']"), "paid order")
        desk.tap(page.locator("a[data-step=ship]"), "ship form (paid)")
        page.fill("#id_courier", "J&T")
        page.fill("#id_tracking_number", "JT-77")
        desk.tap(page.locator("#kb-step-submit"), "shipped (paid)")
        second.refresh_from_db()
        assert second.status == OrderStatus.SHIPPED
        assert receipt_taps <= 4 and desk.taps <= 3
        with capsys.disabled():
            print(
                f"\n[taps {desk.journey.name}] receipt -> Dikirim: {receipt_taps}; "
                f"paid -> Dikirim: {desk.taps} (plus two fields typed)"
            )

        desk.visit("/admin/orders/order/", "order list")
        listing = page.locator("#result_list").inner_text()
        total = f"Rp {order.total:,}".replace(",", ".")
        assert total in listing and str(order.total) not in listing.replace(total, "")
        # Status, what to do and the total are on screen, not off to the right.
        for column in ("status", "needs_action", "total_rupiah"):
            box = page.locator(f"#result_list td.field-{column}").first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= desk.width, column
        desk.visit(f"/admin/orders/order/{order.pk}/change/", "order history")
        history = page.locator("#events-group").inner_text()
        assert "Menunggu pembayaran" in history and "Pembeli" in history
    finally:
        desk.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone360", "desktop1366"])
def test_reviewer_goes_from_queue_to_diff_to_approval(chromium, live_server, place_setup, size):
    from catalog import services as catalog_services
    from tests.catalog.listing_factories import product_with_photo

    staff, reviewer = place_setup["staff"], place_setup["reviewer"]
    product = product_with_photo(facility=place_setup["facility"], name="Tas Purun")
    catalog_services.listing_submit(product=product, actor=staff)
    catalog_services.listing_request_changes(
        product=product, actor=reviewer, note="Sebutkan ukurannya."
    )
    catalog_services.product_update(
        product=product, actor=staff, description="Tas purun anyaman, 30 x 25 cm."
    )
    catalog_services.listing_submit(product=product, actor=staff)

    desk = Desk(chromium, live_server.url, "reviewer", size)
    page = desk.page
    try:
        desk.login(reviewer.username)
        desk.visit("/admin/catalog/reviewqueueitem/", "queue")
        desk.taps = 0
        desk.tap(page.get_by_role("link", name="Tas Purun").first, "review form")
        assert "/review/" in page.url  # straight to the form, no read-only page between
        changes = page.locator("#kb-changes").inner_text()
        assert "30 x 25 cm" in changes and "sebelumnya" in changes.lower()
        for box in page.locator("input[name=checklist]").all():
            box.check()
        desk.tap(page.locator("#kb-decide-approve"), "approved")
        product.refresh_from_db()
        assert product.status == ListingStatus.APPROVED
        assert desk.taps == 2
    finally:
        desk.close()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone360", "desktop1366"])
def test_head_office_reads_dashboard_and_report_and_downloads_an_export(
    chromium, live_server, place_setup, size, tmp_path
):
    facility = place_setup["facility"]
    # A long name in the report: it must wrap by word, not push the totals off.
    other = shop(
        region=place_setup["region"],
        name="Lembaga Pembinaan Khusus Anak Kelas I Palembang",
        slug="lpka-palembang-kerja",
    )
    other.delivery_settings.courier_enabled = True
    other.delivery_settings.save()
    boss = head_office_user()
    paid = 0
    for upt in (facility, facility, other):
        songket = ProductFactory(facility=upt, name="Songket Palembang", price=165_000, stock=9)
        order = _bank_transfer_order(upt, songket)
        order_services.order_confirm_payment(order=order, actor=boss)
        paid += order.total
    desk = Desk(chromium, live_server.url, "head-office", size)
    page = desk.page
    try:
        desk.login(boss.username)
        assert page.locator("#kb-dash-title").is_visible()
        desk.visit("/admin/laporan/penjualan/", "sales report")
        total = page.locator("#facility-totals tfoot td").last
        # Not scrolled into view: that would scroll a table that hides it, too.
        box = total.bounding_box()
        width = 360 if size is PHONE else 1366
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert f"Rp {paid:,}".replace(",", ".") in total.inner_text()
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV", exact=True).click()
        path = tmp_path / "penjualan.csv"
        download.value.save_as(path)
        assert "Lapas Perempuan Palembang" in path.read_text(encoding="utf-8-sig")
        desk.visit("/dampak/", "impact page")
        # Every figure of the last column is on screen, not cut at the edge.
        for cell in page.locator(".impact-table tbody tr td:last-child").all():
            box = cell.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
    finally:
        desk.close()


def _tour_data(place_setup):
    """One of each row an officer, reviewer or head office opens."""
    from catalog import services as catalog_services
    from tests.catalog.listing_factories import product_with_photo

    facility, staff = place_setup["facility"], place_setup["staff"]
    product = product_with_photo(facility=facility, name="Keset Sabut Kelapa")
    catalog_services.listing_submit(product=product, actor=staff)
    order = _bank_transfer_order(facility, ProductFactory(facility=facility, stock=5))
    return product, order


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone360", "desktop1366"])
@pytest.mark.parametrize("role", ["staff", "reviewer", "head_office"])
def test_every_admin_page_a_role_opens_fits_a_phone(chromium, live_server, place_setup, role, size):
    """From the home page, each list the role is offered, its add page, and the
    first row's page: all fit 360 px, with 44 px targets and no English."""
    product, order = _tour_data(place_setup)
    user = {
        "staff": place_setup["staff"],
        "reviewer": place_setup["reviewer"],
        "head_office": head_office_user(),
    }[role]
    desk = Desk(chromium, live_server.url, f"tour-{role}", size)
    page = desk.page
    try:
        desk.login(user.username)
        lists = sorted(
            {
                href
                for href in page.eval_on_selector_all(
                    "#content-main a[href^='/admin/']", "els => els.map(e => e.pathname)"
                )
                if href.count("/") == 4 and not href.endswith("/add/")
            }
        )
        assert lists, "the home page offers no lists"
        seen = []
        for path in lists:
            desk.visit(path, f"list {path}")
            seen.append(path)
            rows = page.eval_on_selector_all(
                "#result_list tbody a[href^='/admin/']", "els => els.map(e => e.pathname)"
            )
            if rows:
                desk.visit(rows[0], f"row {rows[0]}")
            add = page.locator("a.addlink[href$='/add/']")
            if path.count("/") == 4 and add.count():
                desk.visit(add.first.evaluate("a => a.pathname"), f"add {path}")
        if role == "staff":
            desk.visit("/admin/orders/order/tugas/", "to-do list")
            for step in ("confirm_payment", "cancel", "reject_payment"):
                desk.visit(f"/admin/orders/order/{order.pk}/langkah/{step}/", f"step {step}")
        else:
            desk.visit(f"/admin/catalog/product/{product.pk}/review/", "review form")
            desk.visit("/admin/laporan/produk/", "product recap")
            # The report's total is on screen, not scrolled away inside its table.
            total = page.locator("#total-stock-value")
            box = total.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= desk.width, box
            desk.visit("/admin/laporan/penjualan/", "sales report")
        print(f"[tour {role}] {len(seen)} lists: {', '.join(seen)}")
    finally:
        desk.close()


def test_the_officer_switches_the_admin_to_english(chromium, live_server, place_setup):
    desk = Desk(chromium, live_server.url, "officer-english", PHONE)
    page = desk.page
    try:
        desk.login(place_setup["staff"].username)
        page.locator("#user-tools button[name=language][value=en]").click()
        page.wait_for_load_state("load")
        desk.journey.check("english")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "log out" in page.locator("#user-tools").inner_text().lower()
        page.locator("#user-tools button[name=language][value=id]").click()
        page.wait_for_load_state("load")
        desk.check("back to Indonesian")
    finally:
        desk.close()
