"""Picking the official address in a real browser: with JavaScript each select
fills the next from /wilayah/<code>.json; without it each level's "Pilih"
re-renders the page with the next level's options."""

TEBET = [
    ("#id_a-province", "31"),
    ("#id_a-regency", "31.74"),
    ("#id_a-district", "31.74.01"),
    ("#id_a-village", "31.74.01.1002"),
]


def pick_address(page, levels=TEBET, *, start: int = 0) -> None:
    """Chooses each level from `start` on, the way this page works (JS or not)."""
    scripted = not page.locator("button.region-choose").first.is_visible()
    for index, (selector, code) in enumerate(levels):
        if index < start:
            continue
        if scripted:
            page.wait_for_selector(f"{selector} option[value='{code}']", state="attached")
            page.select_option(selector, code)
        else:
            page.select_option(selector, code)
            page.locator(selector).locator("xpath=..").get_by_role("button", name="Pilih").click()
            page.wait_for_load_state("load")
    if scripted:
        page.wait_for_function("() => document.getElementById('id_a-postal_code').value !== ''")
