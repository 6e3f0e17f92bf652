"""The officer's inbox on a 360 px phone, in a real browser (issue 31).

Three people each log in and start at the inbox (the first screen after
login, /admin/): the facility officer, the Kanwil reviewer and head office.
Each finds every kind of pending work seeded for them, with its deadline
shown, and reaches the page where the work is done in ONE tap. The desk
(tests/browser/test_workplace_journeys.Desk) fails a step on sideways
scrolling, targets under 44 px, console errors or English words.
"""

from __future__ import annotations

import pytest

from tests.browser.test_workplace_journeys import PHONE, Desk
from tests.factories import FacilityFactory, facility_staff, head_office_user, regional_reviewer
from tests.inbox_seed import FACILITY_KINDS, REGION_KINDS, seed_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LATE_FACILITY_KINDS = [k for k in FACILITY_KINDS if k != "listings_sent_back"]


@pytest.fixture
def world(transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    facility = FacilityFactory(name="Bapas Baubau")
    late_facility = FacilityFactory(name="Lapas Raha", region=facility.region)
    elsewhere = FacilityFactory(name="Lapas Jauh")
    return {
        "facility": facility,
        "mine": seed_work(facility),
        "late": seed_work(late_facility, late=True, tag="L"),
        "elsewhere": seed_work(elsewhere, late=True, tag="X"),
        "elsewhere_facility": elsewhere,
    }


def _walk(desk, kinds: list[str], forbidden: str) -> dict[str, int]:
    """From the inbox, each kind: its first item shows a deadline (or says it
    has none) and one tap reaches the work. Returns taps per kind."""
    page = desk.page
    taps = {}
    for kind in kinds:
        desk.visit("/admin/", f"inbox for {kind}")
        assert forbidden not in page.locator("#kb-inbox").inner_text()
        item = page.locator(f"#inbox-{kind} a.kb-inbox-item").first
        assert item.is_visible(), kind
        deadline = item.locator(".kb-deadline").inner_text()
        assert deadline.startswith(("batas ", "tanpa batas")), (kind, deadline)
        href = item.get_attribute("href")
        before = desk.taps
        desk.tap(item, f"{kind} opened")
        taps[kind] = desk.taps - before
        assert page.url.endswith(href), (kind, page.url, href)
    return taps


def test_facility_officer_reaches_each_kind_of_work_in_one_tap(chromium, live_server, world):
    desk = Desk(chromium, live_server.url, "inbox-officer", PHONE)
    try:
        desk.login(facility_staff(world["facility"]).username)
        badge = desk.page.locator("#kb-inbox-link .kb-badge").inner_text()
        assert int(badge) == len(FACILITY_KINDS)
        # Another facility's work (Lapas Raha's, late) never shows.
        taps = _walk(desk, FACILITY_KINDS, forbidden=world["late"]["to_pack"].code)
        assert set(taps.values()) == {1}
        print(f"\nofficer: {len(taps)} kinds, taps from the inbox {taps}")
    finally:
        desk.close()


def test_kanwil_reviewer_reaches_review_work_and_late_work_in_one_tap(chromium, live_server, world):
    desk = Desk(chromium, live_server.url, "inbox-kanwil", PHONE)
    try:
        desk.login(regional_reviewer(world["facility"].region).username)
        late = desk.page.locator("#inbox-late-facilities").inner_text()
        # Bapas Baubau is on time but for its escalated complaint, which
        # carries the answer deadline it missed.
        assert "Lapas Raha" in late and "Lapas Jauh" not in late
        kinds = [*REGION_KINDS, *LATE_FACILITY_KINDS]
        taps = _walk(desk, kinds, forbidden=world["elsewhere"]["to_pack"].code)
        assert set(taps.values()) == {1}
        print(f"\nkanwil: {len(taps)} kinds, taps from the inbox {taps}")
    finally:
        desk.close()


def test_head_office_reaches_what_is_stuck_nationally_in_one_tap(chromium, live_server, world):
    desk = Desk(chromium, live_server.url, "inbox-national", PHONE)
    try:
        desk.login(head_office_user().username)
        late = desk.page.locator("#inbox-late-facilities").inner_text()
        assert "Lapas Raha" in late and "Lapas Jauh" in late
        kinds = ["listings_to_review", "complaints_escalated", *LATE_FACILITY_KINDS]
        # Work on time stays with its facility.
        taps = _walk(desk, kinds, forbidden=world["mine"]["to_pack"].code)
        assert set(taps.values()) == {1}
        print(f"\nhead office: {len(taps)} kinds, taps from the inbox {taps}")
    finally:
        desk.close()


def test_label_prints_on_one_a6_page_with_a_scannable_barcode(chromium, live_server, world):
    """The label as Chromium prints it: one A6 page (its CSS page size), the
    barcode read back by ZXing from the pixels on screen; the packing slip
    fits the 360 px screen."""
    import io

    import zxingcpp
    from PIL import Image

    order = world["mine"]["to_ship"]
    order.courier, order.tracking_number = "J&T EZ", "JX3708794672"
    order.save(update_fields=["courier", "tracking_number"])
    desk = Desk(chromium, live_server.url, "label", PHONE)
    page = desk.page
    try:
        desk.login(facility_staff(world["facility"]).username)
        desk.visit(f"/pengiriman/label/{order.pk}/", "label")
        font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
        assert "serif" not in font.replace("sans-serif", ""), font  # styled, not Times
        shot = page.locator(".kb-barcode").screenshot()
        read = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
        assert [(r.text, r.format) for r in read] == [
            ("JX3708794672", zxingcpp.BarcodeFormat.Code128)
        ]
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        pages = len(__import__("re").findall(rb"/Type\s*/Page\b", pdf))
        assert pages == 1, f"the label printed on {pages} pages"
        box = __import__("re").search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
        width_mm, height_mm = (round(float(v) * 25.4 / 72) for v in box.groups())
        assert (width_mm, height_mm) == (105, 148), (width_mm, height_mm)  # A6
        print(f"\nlabel: {pages} page, {width_mm}x{height_mm} mm, barcode decoded")

        # The A4 sheet from the order list: select parcels, the action, print.
        desk.visit("/admin/orders/order/", "order list")
        for pk in (order.pk, world["mine"]["to_pack"].pk):  # the second has no resi
            page.check(f"input[name=_selected_action][value='{pk}']")
        page.select_option("select[name=action]", "print_labels_a4")
        page.click("button[name=index]")
        page.wait_for_load_state("load")
        assert page.locator(".sheet .cell").count() == 1  # the one parcel with a resi
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        box = __import__("re").search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
        assert tuple(round(float(v) * 25.4 / 72) for v in box.groups()) == (210, 297)  # A4

        desk.visit(f"/admin/orders/order/{order.pk}/slip/", "packing slip")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= 360, f"the packing slip is {wide}px wide on a 360 px phone"
    finally:
        desk.close()


def test_submit_for_review_is_whole_at_360px(chromium, live_server, world):
    """'SIMPAN DAN AJUKAN UNTUK DITINJAU' wraps inside the screen. Control: the
    same words on an <input> (as before) run past the 360 px screen."""
    from tests.factories import ProductFactory

    product = ProductFactory(facility=world["facility"], draft=True)
    desk = Desk(chromium, live_server.url, "submit-button", PHONE)
    page = desk.page
    try:
        desk.login(facility_staff(world["facility"]).username)
        desk.visit(f"/admin/catalog/product/{product.pk}/change/", "draft product")
        measure = """(el) => ({right: el.getBoundingClientRect().right,
            overflow: el.scrollWidth - el.clientWidth, text: el.innerText || el.value})"""
        button = page.locator("#kb-submit-review").evaluate(measure)
        assert button["text"].upper() == "SIMPAN DAN AJUKAN UNTUK DITINJAU"
        assert button["right"] <= 360 and button["overflow"] <= 0, button
        old = page.evaluate(
            """() => {
              const input = document.createElement('input');
              input.type = 'submit';
              input.className = 'default kb-button';
              input.value = document.querySelector('#kb-submit-review').value;
              document.querySelector('.kb-submit-review').appendChild(input);
              const r = input.getBoundingClientRect();
              return {right: r.right, overflow: input.scrollWidth - input.clientWidth};
            }"""
        )
        assert old["right"] > 360 or old["overflow"] > 0, old
    finally:
        desk.close()
