"""Pressing "Masukkan keranjang" in a real browser. With JavaScript the page
posts with fetch and stays (issue 30). Without it a shared product page has no
CSRF token (issue 33: the same bytes for every visitor), so its form opens the
small per-visitor buy page with the asked quantity, whose form posts to the
cart. Either way the step is over when the cart's POST has been answered, so
the next page sees the cart."""


def _cart_post(response) -> bool:
    return response.url.endswith("/keranjang/tambah/") and response.request.method == "POST"


def add_to_cart(page) -> None:
    with page.expect_response(lambda r: _cart_post(r) or "/keranjang/beli/" in r.url) as first:
        page.get_by_role("button", name="Masukkan keranjang").click()
    page.wait_for_load_state("load")
    if "/keranjang/beli/" in first.value.url:
        with page.expect_response(_cart_post):
            page.get_by_role("button", name="Masukkan keranjang").click()
        page.wait_for_load_state("load")
