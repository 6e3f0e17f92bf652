"""What is measured in this process through Django's test client: queries per
request, EXPLAIN ANALYZE of the pages' SQL, page weight."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.config import RESULTS_DIR
from bench.sample import UNCACHED, Sample, get_endpoints


def _client():
    from django.test import Client

    return Client(HTTP_X_FORWARDED_PROTO="https")


def _checkout_through_client(client, product_id: int):
    """Add to cart and open checkout; returns the POST data the checkout sends."""
    from bench.forms import read_form

    client.post("/keranjang/tambah/", {"product": product_id, "quantity": 1}, secure=True)
    page = client.get("/checkout/", secure=True)
    fields, radios = read_form(page.content.decode(), "/checkout/")
    for group, values in radios.items():
        if group.endswith("-delivery"):
            fields.setdefault(group, "pickup" if "pickup" in values else values[0])
        elif group.endswith("-payment"):
            fields.setdefault(group, "pay_at_pickup" if "pay_at_pickup" in values else values[0])
    fields.update(
        {"c-name": "Siti Rahayu", "c-phone": "081234567890", "p-agree": "on", "action": "place"}
    )
    return fields


def count_queries(sample: Sample) -> dict[str, dict]:
    """Queries of one request to each page as it is built (a warm second
    request: the first after start-up loads caches the steady state does not
    pay again). A page served from the page cache costs none."""
    from django.test.utils import override_settings

    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        return _count_queries(sample)


def _count_queries(sample: Sample) -> dict[str, dict]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    client = _client()
    out: dict[str, dict] = {}
    for name, paths in get_endpoints(sample).items():
        path = paths[0]
        client.get(path, secure=True)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, secure=True)
        out[name] = {"path": path, "status": response.status_code, "queries": len(ctx)}
    for name, of in UNCACHED.items():
        out[name] = out[of]
    for name, path in (
        ("catalog", sample.catalog_path),
        ("search_common", sample.search_common),
        ("storefront", sample.storefront_paths[0]),
    ):
        per_page = {}
        for size in (12, 48):
            sep = "&" if "?" in path else "?"
            with CaptureQueriesContext(connection) as ctx:
                client.get(f"{path}{sep}per_page={size}", secure=True)
            per_page[str(size)] = len(ctx)
        out[name]["per_page"] = per_page
    # The writes run inside a transaction rolled back at the end: the scale
    # data stays as generated.
    with transaction.atomic():
        buyer = _client()
        buyer.get("/", secure=True)
        with CaptureQueriesContext(connection) as ctx:
            response = buyer.post(
                "/keranjang/tambah/",
                {"product": sample.cart_products[0], "quantity": 1},
                secure=True,
            )
        out["add_to_cart"] = {
            "path": "POST /keranjang/tambah/",
            "status": response.status_code,
            "queries": len(ctx),
        }
        checkout_client = _client()
        fields = _checkout_through_client(checkout_client, sample.cart_products[2])
        with CaptureQueriesContext(connection) as ctx:
            response = checkout_client.post("/checkout/", fields, secure=True)
        out["checkout"] = {
            "path": "POST /checkout/",
            "status": response.status_code,
            "queries": len(ctx),
            "placed": "/selesai/" in response.get("Location", ""),
        }
        transaction.set_rollback(True)
    return out


def explain_pages(sample: Sample, runs: int) -> dict[str, dict]:
    """EXPLAIN ANALYZE of the product queries the catalog and search pages send.

    The SQL is what Django really sent for the page (captured from a request),
    so it is the selectors' query, not a hand-written copy (the page cache is
    off here, so the page is built).
    """
    from django.test.utils import override_settings

    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        return _explain_pages(sample, runs)


def _explain_pages(sample: Sample, runs: int) -> dict[str, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    out: dict[str, dict] = {}
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("catalog", sample.catalog_path),
        ("search_common", sample.search_common),
        ("search_rare", sample.search_rare),
    ):
        client.get(path, secure=True)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, secure=True)
        product_queries = [q["sql"] for q in ctx.captured_queries if "catalog_product" in q["sql"]]
        timed = []
        with connection.cursor() as cursor:
            for sql in product_queries:
                times, plan_text = [], ""
                for _ in range(runs):
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                    plan = cursor.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    times.append(plan[0]["Execution Time"])
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan_text = "\n".join(row[0] for row in cursor.fetchall())
                timed.append(
                    {"ms": round(statistics.median(times), 2), "sql": sql, "plan": plan_text}
                )
        timed.sort(key=lambda t: -t["ms"])
        with open(RESULTS_DIR / f"explain-{name}.txt", "w") as f:
            for t in timed:
                f.write(f"-- {t['ms']} ms (median of {runs})\n{t['sql']}\n\n{t['plan']}\n\n")
        out[name] = {
            "path": path,
            "queries": len(timed),
            "total_ms": round(sum(t["ms"] for t in timed), 2),
            "slowest_ms": timed[0]["ms"] if timed else 0,
            "slowest_sql": (timed[0]["sql"][:160] + "…") if timed else "",
        }
    return out


def weigh_pages(sample: Sample) -> dict[str, dict]:
    from django.conf import settings

    from bench.weight import page_weight

    client = _client()
    out = {}
    for name, path in (("catalog", "/produk/"), ("product", sample.product_paths[0])):
        html = client.get(path, secure=True).content.decode()
        weight = page_weight(
            html,
            static_url=settings.STATIC_URL,
            static_root=Path(settings.STATIC_ROOT),
            media_url=settings.MEDIA_URL,
            media_root=Path(settings.MEDIA_ROOT),
        )
        out[name] = {
            "path": path,
            "html": weight.html,
            "css": weight.css,
            "js": weight.js,
            "images": weight.image_count,
            "images_eager": weight.images_eager,
            "images_lazy": weight.images_lazy,
            "first_view": weight.first_view,
            "total": weight.total,
            "missing": weight.missing[:5],
        }
    return out


# --- 4. the server ------------------------------------------------------------------
