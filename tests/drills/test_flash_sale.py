"""Drill: a flash sale over HTTP (issue 33), CI-sized.

gunicorn with the project's configuration and the production settings, the
gateway simulator as a server of its own answering each charge in 300 ms,
and a crowd of shoppers sent open-loop through the site's own journey
(bench/flashsale_journey.py: product page, quick-add, checkout with a real
address, QRIS, place). The full 1,000-shopper run is `python -m bench
flashsale` (docs/flash-sale.md); this one is 200 shoppers for 20 units.

Asserted: exactly the stock is sold; every placed order has one payment
intent, answered, and one charge at the gateway; no stock without an order;
nothing stuck; every other shopper is turned away with the sold-out message;
no charge is asked for while the worker's database session holds a row lock
or a transaction (bench/probed_wsgi.py). The control runs the same shop with
every request in one transaction (ATOMIC_REQUESTS): the probe sees the
charges made under the products' row locks, and the sale still keeps its
books, so it is the probe, not the books, that catches it.

Latency is reported, not asserted (a shared machine's timings are not a
test); the figures are the bench's.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bench import flashsale, flashsale_shop
from bench.flashsale_journey import PLACED, SOLD_OUT
from tests import servers

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(command, *, env, log: Path):
    return servers.start(command, env=env, cwd=flashsale.BASE_DIR, log=log)


def _options(static_root, **kw) -> flashsale.Options:
    return flashsale.Options(
        database_url=servers.test_database_url(),
        port=_free_port(),
        simulator_port=_free_port(),
        static_root=str(static_root),
        # The per-process cache CI has: one worker, so a sold-out product's
        # page is retired for every request (several workers would each keep
        # their own copy up to PUBLIC_PAGE_CACHE_SECONDS; production shares
        # Redis). Threads as production's four per worker, times two.
        cache_url="",
        shop_env={"WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "8"},
        # Straight at gunicorn (`--no-edge`): the drill is about the books
        # and the gateway probe, and CI has no varnishd; the edge is the
        # bench's default (python -m bench flashsale).
        edge=False,
        **kw,
    )


def _sale(opts, tmp_path, *, products: int, units: int, tag: str) -> dict:
    sale = flashsale_shop.seed(tag=tag, products=products, units=units)
    processes = flashsale.start_servers(opts, tmp_path, start=_start)
    try:
        measured = flashsale.sale_run(opts, sale, processes, warm=3)
    finally:
        for process in reversed(processes.values()):  # the shop before its gateway
            servers.stop(process)
    books = flashsale_shop.books(sale)
    probe = flashsale.probe_findings(tmp_path / "probe.jsonl")
    shoppers = measured["shoppers"]
    print(
        f"\n{opts.shoppers} shoppers, {sale.total_units} units"
        f"{' CONTROL' if opts.control else ''}: "
        f"{shoppers['outcomes']}; placing p50/p95/p99 {shoppers['placing_ms'][50]}/"
        f"{shoppers['placing_ms'][95]}/{shoppers['placing_ms'][99]} ms; probe {probe}; "
        f"CPU {measured['cpu_cores']}"
    )
    return {
        "sale": sale,
        "books": books,
        "probe": probe,
        "shoppers": shoppers,
        "broken": flashsale.judge(sale, shoppers, books, probe),
    }


def test_two_hundred_shoppers_for_twenty_units(production_static_root, tmp_path):
    opts = _options(production_static_root, shoppers=200, seconds=4.0)
    out = _sale(opts, tmp_path, products=4, units=5, tag="ci")
    books, shoppers, probe = out["books"], out["shoppers"], out["probe"]
    assert out["broken"] == []
    assert books.units_sold == 20 and books.stock_left == [0, 0, 0, 0]
    assert books.orders_standing == shoppers["placed"] == 20
    assert books.orders_called_off == 0
    assert shoppers["errors"] == 0
    assert shoppers["turned_away"] == 180
    assert set(shoppers["outcomes"]) <= {PLACED, *SOLD_OUT}
    # The 20 sale charges and the warm-up's 3, none under a lock or transaction.
    assert probe["charges"] == 23
    assert probe["charges_under_lock_or_transaction"] == 0


def test_control_every_request_in_one_transaction_charges_under_the_row_locks(
    production_static_root, tmp_path
):
    """ATOMIC_REQUESTS (a common Django setting) wraps the checkout view in
    one transaction: the orders, the intent and the products' row locks are
    still held when checkout_submit asks the gateway for the charge, so each
    product's buyers queue behind its 300 ms charges. The probe sees it."""
    opts = _options(production_static_root, shoppers=40, seconds=2.0, control="atomic_requests")
    out = _sale(opts, tmp_path, products=2, units=3, tag="ctl")
    probe = out["probe"]
    assert probe["charges"] == 6 + 3
    assert probe["charges_with_row_locks"] == probe["charges"]
    assert any("under a lock/transaction" in broken for broken in out["broken"])
    # The books still balance: a charge under a lock is slow, not wrong, so
    # only the probe tells the two shops apart.
    assert out["books"].problems == [] and out["books"].units_sold == 6
