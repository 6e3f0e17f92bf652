#!/usr/bin/env python3
"""Drill: a staff bulk edit of 1,000 products while shoppers browse.

    python3 deploy/drills/purge_storm.py [--state .shape] [--products 1000]

A facility's staff member changes the price of every one of its N products
through the catalog service (product_update, each its own transaction, as the
admin saves them) while shoppers browse those product pages through Varnish.
Every edit retires the page's tags; with edgepages' cache.vcl the app purges
them at the edge (xkey) as well. For a sample of the edited products a
watcher asks the edge again and again until the new price shows, and records
how long that took after the commit. Figures: shoppers' requests, errors and
latency, the edit rate, and the freshness delay (p50, p99, max, share within
1 s). Prints the figures as JSON; exit 1 on a shopper error or a page not
fresh within 1 s at p99.
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DEPLOY))

from drills.load import Load, percentile, summary  # noqa: E402
from drills.replica_pause import drill_env, fresh_sequences  # noqa: E402


def _get(port: int, path: str) -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"User-Agent": "kb-drill-watcher"})
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return response.status, body, dict(response.getheaders())
    finally:
        connection.close()


def drill(edge_port: int, products: int, sample_every: int, concurrency: int) -> dict:
    import django

    django.setup()
    fresh_sequences()
    from catalog.models import Product
    from catalog.services import product_update
    from core.money import format_rupiah
    from tests.factories import ProductFactory, facility_staff, shop

    facility = shop(name="Lapas Drill Purge")
    staff = facility_staff(facility)
    made = time.monotonic()
    batch = ProductFactory.create_batch(products, facility=facility, price=40_000, stock=50)
    figures: dict = {
        "drill": "purge_storm",
        "products": products,
        "create_s": round(time.monotonic() - made, 1),
    }
    deadline = time.monotonic() + 60
    while Product.objects.using("replica").filter(facility=facility).count() < products:
        assert time.monotonic() < deadline, "the replica never replayed the products"
        time.sleep(0.2)
    paths = [p.get_absolute_url() for p in batch]
    warmed = time.monotonic()
    for path in paths:
        _get(edge_port, path)
    figures["warm_s"] = round(time.monotonic() - warmed, 1)
    # A hit's X-Varnish names two transactions (this one and the one that stored it).
    hits = sum(
        1 for path in paths[:50] if len(_get(edge_port, path)[2].get("X-Varnish", "").split()) == 2
    )
    figures["edge_hits_of_50_warm_pages"] = hits

    delays: list[float] = []
    stale: list[str] = []
    watch_lock = threading.Lock()

    def watch(path: str, price_text: str, committed: float) -> None:
        while time.monotonic() - committed < 10:
            status, body, _ = _get(edge_port, path)
            if status == 200 and price_text in body:
                with watch_lock:
                    delays.append(time.monotonic() - committed)
                return
            time.sleep(0.02)
        with watch_lock:
            stale.append(path)

    shoppers = Load("127.0.0.1", edge_port, paths, concurrency=concurrency).start()
    watchers = []
    edit_started = time.monotonic()
    for index, product in enumerate(batch):
        new_price = product.price + 1_000 + index
        product_update(product=product, actor=staff, price=new_price)
        if index % sample_every == 0:
            watcher = threading.Thread(
                target=watch, args=(paths[index], format_rupiah(new_price), time.monotonic())
            )
            watcher.start()
            watchers.append(watcher)
    edit_seconds = time.monotonic() - edit_started
    for watcher in watchers:
        watcher.join()
    results = shoppers.stop()
    delays_ms = [d * 1000 for d in delays]
    figures.update(
        edit_s=round(edit_seconds, 2),
        edits_per_s=round(products / edit_seconds, 1),
        shoppers=summary(results),
        sampled=len(watchers),
        fresh_p50_ms=round(percentile(delays_ms, 0.5), 1),
        fresh_p99_ms=round(percentile(delays_ms, 0.99), 1),
        fresh_max_ms=round(max(delays_ms, default=0), 1),
        fresh_within_1s=sum(1 for d in delays if d <= 1.0),
        never_fresh_within_10s=len(stale),
    )
    return figures


def passed(figures: dict) -> bool:
    return (
        figures["shoppers"]["failed"] == 0
        and figures["never_fresh_within_10s"] == 0
        and figures["fresh_p99_ms"] <= 1000
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state", type=Path, default=DEPLOY.parent / ".shape")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--sample-every", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--edge-port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.edge_port:
        figures = drill(args.edge_port, args.products, args.sample_every, args.concurrency)
        print(json.dumps(figures, indent=2))
        return 0 if passed(figures) else 1
    import shape

    current = shape.Shape.load(args.state)
    return subprocess.call(
        [
            current.python,
            __file__,
            "--edge-port",
            str(current.ports.varnish),
            "--products",
            str(args.products),
            "--sample-every",
            str(args.sample_every),
            "--concurrency",
            str(args.concurrency),
        ],
        cwd=shape.ROOT,
        env=drill_env(current),
    )


if __name__ == "__main__":
    sys.exit(main())
