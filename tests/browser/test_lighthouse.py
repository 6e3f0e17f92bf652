"""Lighthouse's mobile audits of the shop's busiest pages (issue 30).

npm's `lighthouse` (pinned in package.json, installed from package-lock.json
with `npm ci`) drives Debian's chromium (CHROME_PATH) against the site as
production starts it (gunicorn, the production settings, collectstatic's
manifest; the `gunicorn_site` fixture). Mobile form factor with Lighthouse's
default (simulated) throttling. Each page must score at least 95 for
performance and for accessibility; the scores land in
test-artifacts/lighthouse/scores.json for the notes. Without node, the npm
package or chromium the test SKIPS and says which is missing.

gunicorn serves no /media/ (nginx does), so the products here have no photos:
the cards show their placeholders, as a new listing does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from tests.factories import ProductFactory
from tests.factories import shop as ready_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts" / "lighthouse"
MINIMUM = {"performance": 95, "accessibility": 95}


def _lighthouse_missing() -> str:
    if not shutil.which("node"):
        return "node is not installed (apt-get install nodejs npm)"
    if not LIGHTHOUSE.exists():
        return "the lighthouse npm package is missing (run `npm ci` at the repository root)"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return ""


def audit(url: str, name: str, *, headers: dict[str, str] | None = None) -> dict[str, int]:
    """Run Lighthouse (mobile, default throttling) on `url`; category -> score 0-100."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = ARTIFACTS / f"{name}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--form-factor=mobile",
        "--only-categories=performance,accessibility",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if headers:
        command.append("--extra-headers=" + json.dumps(headers))
    # Lighthouse itself can fail to drive chromium on a loaded 2-core machine
    # (a tool failure, not a score): one more try, then the failure with its
    # own words. A low score is never retried.
    for attempt in (1, 2):
        run = subprocess.run(
            command,
            timeout=240,
            cwd=ROOT,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
        )
        if run.returncode == 0:
            break
        if attempt == 2:
            raise AssertionError(f"lighthouse failed on {url}: {run.stderr[-2000:]}")
    result = json.loads(report.read_text())
    scores = {key: round(cat["score"] * 100) for key, cat in result["categories"].items()}
    flagged = [
        f"{audit_id} ({item.get('score')})"
        for category in result["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] and (item := result["audits"][ref["id"]]).get("score") not in (None, 1)
        for audit_id in [ref["id"]]
    ]
    return {**scores, "flagged": flagged}


@pytest.fixture
def shop():
    """Demo-like shelves: two facilities ready to sell (delivery settings, a
    rate to Jakarta, a bank account), six products each."""
    kendari = ready_shop(name="Lapas Kelas IIA Kendari", slug="lapas-kendari")
    palembang = ready_shop(name="Lapas Perempuan Palembang", slug="lapas-perempuan-palembang")
    names = [
        "Miniatur Kapal Pinisi Kayu Jati",
        "Kain Songket Palembang",
        "Tas Rajut Benang Nilon",
        "Mukena Bordir Katun",
        "Kursi Rotan Teras",
        "Batik Tulis Motif Kendari",
    ]
    products = [
        ProductFactory(facility=facility, name=f"{name} {facility.slug[-4:]}", price=price)
        for facility in (kendari, palembang)
        for name, price in zip(names, range(85_000, 1_000_000, 150_000), strict=False)
    ]
    return {"products": products, "facilities": [kendari.pk, palembang.pk]}


def _payment_page(shopper, facility_ids) -> str:
    """Place the cart's two orders (bank transfer, courier to Jakarta) the way
    the checkout form posts them; the confirmation page with the payment
    instructions, or "" when this checkout form no longer takes these fields."""
    placed = shopper.post("/checkout/", shopper.checkout_fields(facility_ids))
    if placed.status == 302 and placed.location.startswith("/pesanan/"):
        return placed.location
    return ""


def test_mobile_lighthouse_scores(gunicorn_site, shop):
    missing = _lighthouse_missing()
    if missing:
        pytest.skip(f"{missing}; Lighthouse audits skipped")
    from tests.journeys.conftest import Browser

    product = shop["products"][0]
    # A shopper's cart (one product from each facility) for the cart and checkout audits.
    shopper = Browser(gunicorn_site.app)
    for item in (shop["products"][0], shop["products"][-1]):
        assert shopper.add_to_cart(item.pk).status == 200
    cart_cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in shopper.cookies.items())}
    pages = {
        "home": ("/", None),
        "catalog": ("/produk/", None),
        "product": (product.get_absolute_url(), None),
        "cart": ("/keranjang/", cart_cookie),
        "checkout": ("/checkout/", cart_cookie),
    }
    scores = {
        name: audit(gunicorn_site.url + path, name, headers=headers)
        for name, (path, headers) in pages.items()
    }
    # Then pay: the confirmation page with the payment instructions.
    payment = _payment_page(shopper, shop["facilities"])
    if payment:
        cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in shopper.cookies.items())}
        scores["payment"] = audit(gunicorn_site.url + payment, "payment", headers=cookie)
    else:
        warnings.warn("the checkout form took other fields: payment page not audited", stacklevel=1)
    (ARTIFACTS / "scores.json").write_text(json.dumps(scores, indent=2) + "\n")
    print("\n[lighthouse]", json.dumps(scores, indent=1))
    low = {
        name: {key: page[key] for key in MINIMUM if page[key] < MINIMUM[key]}
        | {"flagged": page["flagged"]}
        for name, page in scores.items()
        if any(page[key] < minimum for key, minimum in MINIMUM.items())
    }
    assert not low, f"Lighthouse mobile scores under {MINIMUM}: {low}"
