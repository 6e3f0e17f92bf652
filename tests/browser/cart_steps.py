"""Pressing "Masukkan keranjang" in a real browser. With JavaScript the page
posts with fetch and stays (issue 30); without it the form posts and comes
back to the product page. Either way the step is over when the POST has been
answered, so the next page sees the cart."""


def add_to_cart(page) -> None:
    with page.expect_response(
        lambda r: r.url.endswith("/keranjang/tambah/") and r.request.method == "POST"
    ):
        page.get_by_role("button", name="Masukkan keranjang").click()
    page.wait_for_load_state("load")
