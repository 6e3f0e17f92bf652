"""The flash sale: a crowd of shoppers in a few seconds for a few units,
paying by QRIS through the gateway simulator, over HTTP against gunicorn
started with the project's own configuration and the production settings.

    python -m bench flashsale                      # 1,000 shoppers in 10 s, 10 x 10 units
    python -m bench flashsale --no-edge            # straight at gunicorn, no Varnish
    python -m bench flashsale --shoppers 200 --seconds 4 --units 2
    python -m bench flashsale --control atomic_requests   # the charge under the lock

Shoppers arrive open-loop (shopper i at start + i * seconds / shoppers,
whether or not earlier ones are done), each on a product drawn uniformly from
the sale's, and walk the journey in bench/flashsale_journey.py (through the
checkout's waiting room when the shop opens one). With the edge (the
default, --no-edge to go without) every request goes through varnishd in
front of gunicorn, as in production (deploy/varnish/cache.vcl): product
pages come from the edge's cache, the rest passes through to the shop,
which purges a sold-out product's page there (EDGE_PURGE_URLS). The gateway
simulator (gatewaysim) runs as a gunicorn of its own, as the real gateway is
another service, answering each charge after --gateway-delay seconds; the shop
reaches it through MIDTRANS_BASE_URL with the simulator's key.

Reported: units sold (from the database), orders placed, shoppers turned
away with the sold-out message (and at which step), p50/p95/p99 of the
placing request, of the waiting room and of the whole journey, errors, the
invariants (bench/flashsale_shop.books), the gateway probe
(bench/probed_wsgi.py: no charge under a lock), the product pages the edge
answered and those that reached gunicorn, and CPU: the load generator's own
share, gunicorn's, varnishd's, the simulator's, the whole machine's.
Results: bench/results/flashsale-latest.json and .md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import varnish
from bench.config import BASE_DIR, RESULTS_DIR, python_speed_ns
from bench.flashsale_report import judge, probe_findings, report, summarise
from bench.flashsale_servers import (
    collectstatic,
    cpu_seconds,
    front_port,
    start_servers,
    stop,
)

REQUEST_TIMEOUT = 180.0  # seconds; gunicorn's own timeout is 30 s of a stuck worker

__all__ = ["BASE_DIR", "Options", "judge", "probe_findings", "sale_run", "start_servers"]


@dataclass
class Options:
    database_url: str
    shoppers: int = 1000
    seconds: float = 10.0
    products: int = 10
    units: int = 10
    product_ids: list[int] | None = None
    gateway_delay: float = 0.3
    port: int = 8321
    simulator_port: int = 8322
    edge: bool = True  # varnishd in front of the shop, shoppers sent to it
    edge_port: int = 8320
    # The checkout's waiting room (orders/checkout_gate.py); 0: none.
    admissions_per_second: int = 10
    control: str = ""
    loadgen_cpus: str = ""
    seed: int = 33
    cache_url: str = "redis://127.0.0.1:6379/14"
    shop_env: dict[str, str] = field(default_factory=dict)  # e.g. WEB_CONCURRENCY
    static_root: str = str(BASE_DIR / "staticfiles")


# --- the crowd ------------------------------------------------------------------------


async def warm_up(opts: Options, sale, port: int, shoppers: int = 24) -> None:
    """Before the sale opens, as a live shop is warm: each sale product's page
    read (and so stored in the page cache), and a few shoppers buying the
    warm-up product through the whole journey, so every worker has its
    connections, templates and code paths warm. Not measured."""
    from bench.flashsale_journey import Shopper, Trip, shop_once
    from bench.loadgen import HttpClient

    client = HttpClient("127.0.0.1", port, max_connections=64, timeout=60.0)
    loop = asyncio.get_running_loop()
    for path in sale.paths:
        await Shopper(client, 60_000, port).get(path)
    if sale.warmup_id:
        trips = [Trip(n=60_000 + i, product=-1) for i in range(shoppers)]
        done = await asyncio.gather(
            *(
                shop_once(client, port, t, sale.warmup_path, sale.warmup_id, loop.time())
                for t in trips
            )
        )
        failed = [t for t in done if t.outcome != "placed"]
        if failed:
            raise RuntimeError(f"warm-up shoppers failed: {failed[0].outcome} {failed[0].detail}")
    await client.close()


async def crowd(opts: Options, paths: list[str], product_ids: list[int], port: int) -> dict:
    """Send the shoppers open-loop; returns the trips and the sender's figures."""
    from bench.flashsale_journey import Trip, shop_once
    from bench.loadgen import HttpClient

    draw = random.Random(opts.seed)
    # A shopper waits as long as it takes (REQUEST_TIMEOUT): every journey
    # ends in an answer, so the books can be held against what each saw.
    client = HttpClient("127.0.0.1", port, max_connections=512, timeout=REQUEST_TIMEOUT)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.2
    cpu0, wall0 = time.process_time(), time.perf_counter()
    max_lag, tasks = 0.0, []
    for n in range(opts.shoppers):
        due = start + n * opts.seconds / opts.shoppers
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            max_lag = max(max_lag, -delay)
        k = draw.randrange(len(paths))
        trip = Trip(n=n, product=k)
        tasks.append(
            asyncio.ensure_future(shop_once(client, port, trip, paths[k], product_ids[k], due))
        )
    trips = await asyncio.gather(*tasks)
    wall = time.perf_counter() - wall0
    await client.close()
    return {
        "trips": trips,
        "start": start,
        "wall_s": wall,
        "loadgen_cpu": (time.process_time() - cpu0) / wall,
        "max_lag_ms": max_lag * 1000,
        "connections_opened": client.opened,
    }


# --- main --------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench flashsale", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL")
        or os.environ.get("DATABASE_URL")
        or "postgres://postgres@127.0.0.1:5432/kb_flashsale",
    )
    parser.add_argument("--shoppers", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=10.0, help="Arrivals spread over this.")
    parser.add_argument("--products", type=int, default=10)
    parser.add_argument("--units", type=int, default=10, help="Stock of each seeded product.")
    parser.add_argument(
        "--product-ids", default="", help="Use these products (comma list) as they stand."
    )
    parser.add_argument(
        "--gateway-delay", type=float, default=0.3, help="Simulator's answer, seconds."
    )
    parser.add_argument("--port", type=int, default=8321, help="The shop's gunicorn.")
    parser.add_argument(
        "--edge",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Varnish (deploy/varnish/cache.vcl) in front of gunicorn, every shopper "
        "request through it, as production; --no-edge: straight at gunicorn.",
    )
    parser.add_argument("--edge-port", type=int, default=8320)
    parser.add_argument(
        "--admissions-per-second",
        type=int,
        default=10,
        help="The checkout's waiting room: shoppers let into the checkout form a second "
        "(CHECKOUT_ADMISSIONS_PER_SECOND); 0 lets everyone in at once.",
    )
    parser.add_argument("--simulator-port", type=int, default=8322)
    parser.add_argument(
        "--control",
        default="",
        choices=["", "atomic_requests", "no_sold_out_retire"],
        help="atomic_requests: every request in one transaction, the charge under the lock; "
        "no_sold_out_retire: a sold-out product's pages stay in the page cache.",
    )
    parser.add_argument(
        "--loadgen-cpus",
        default=str(max(0, (os.cpu_count() or 1) - 1)),
        help="CPUs this process (the load generator) is pinned to; '' for none.",
    )
    parser.add_argument("--seed", type=int, default=33)
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("FLASHSALE_CACHE_URL", "redis://127.0.0.1:6379/14"),
        help="The shop's cache, as production runs it (Redis, shared by workers); emptied first.",
    )
    a = parser.parse_args(argv)
    ids = [int(x) for x in a.product_ids.split(",") if x.strip()] or None
    return Options(
        database_url=a.database_url,
        shoppers=a.shoppers,
        seconds=a.seconds,
        products=a.products,
        units=a.units,
        product_ids=ids,
        gateway_delay=a.gateway_delay,
        port=a.port,
        simulator_port=a.simulator_port,
        edge=a.edge,
        edge_port=a.edge_port,
        admissions_per_second=a.admissions_per_second,
        control=a.control,
        loadgen_cpus=a.loadgen_cpus,
        seed=a.seed,
        cache_url=a.cache_url,
    )


def setup_django(database_url: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DATABASE_URL=database_url,
        DEBUG="1",
        KB_NO_BOOTSTRAP="1",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def sale_run(
    opts: Options, sale, processes: dict[str, subprocess.Popen], *, warm: int = 24
) -> dict:
    """Warm the shop up, send the crowd; the shoppers' figures and CPU."""
    import psutil

    port = front_port(opts)
    asyncio.run(warm_up(opts, sale, port, shoppers=warm))
    edge = processes.get("varnish")
    edge0 = varnish.counters(varnish.workdir_of(edge)) if edge else {}
    cpu0 = {name: cpu_seconds(p.pid) for name, p in processes.items()}
    db0 = _cpu_of(_database_backends())
    machine0 = psutil.cpu_times()
    sent = asyncio.run(crowd(opts, sale.paths, sale.product_ids, port))
    machine1 = psutil.cpu_times()
    edge1 = varnish.counters(varnish.workdir_of(edge)) if edge else {}
    wall = sent["wall_s"]
    cpu = {
        name: round((cpu_seconds(p.pid) - cpu0[name]) / wall, 3) for name, p in processes.items()
    }
    # Connections older than CONN_MAX_AGE are replaced during a long run: a
    # backend gone by the end is not counted (so: at least this much).
    db1 = _cpu_of(_database_backends())
    cpu["postgres_at_least"] = round(sum(t - db0.get(pid, 0.0) for pid, t in db1.items()) / wall, 3)
    busy = (machine1.user + machine1.system) - (machine0.user + machine0.system)
    cpu["machine"] = round(busy / wall, 3)
    return {
        "shoppers": summarise(sent["trips"], sent),
        "cpu_cores": cpu,
        # The edge's own counters over the crowd (every request, not only
        # product pages; the shoppers' X-Edge-Cache tally is per page).
        "edge_counters": {k: edge1[k] - edge0.get(k, 0) for k in edge1},
    }


def _database_backends() -> list[int]:
    """PostgreSQL's processes serving the sale's database once warm (the
    servers keep their connections, CONN_MAX_AGE): their CPU is the
    database's share; the rest of the machine's is everyone else's."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _cpu_of(pids: list[int]) -> dict[int, float]:
    import psutil

    seconds = {}
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            seconds[pid] = t.user + t.system
        except psutil.Error:
            pass
    return seconds


def run(opts: Options) -> dict:
    """Seed (or take) the products, start the two servers, send the crowd,
    read the books. Returns the results."""
    from django.core.management import call_command

    from bench import flashsale_shop

    call_command("migrate", interactive=False, verbosity=0)
    collectstatic(opts)
    if opts.cache_url.startswith("redis://"):
        import redis

        redis.Redis.from_url(opts.cache_url).flushdb()
    tag = datetime.now(UTC).strftime("%m%d%H%M%S")
    sale = (
        flashsale_shop.given(opts.product_ids)
        if opts.product_ids
        else flashsale_shop.seed(tag=tag, products=opts.products, units=opts.units)
    )
    work = Path(tempfile.mkdtemp(prefix="flashsale-"))
    processes = start_servers(opts, work)
    try:
        if opts.loadgen_cpus:
            os.sched_setaffinity(0, {int(c) for c in opts.loadgen_cpus.split(",")})
        print(
            f"flash sale: {opts.shoppers} shoppers in {opts.seconds:g} s for {sale.total_units} "
            f"units of {len(sale.product_ids)} products; "
            f"gateway answers in {opts.gateway_delay:g} s; "
            + (f"through Varnish on :{opts.edge_port}" if opts.edge else "no edge")
            + (f"; CONTROL {opts.control}" if opts.control else ""),
            flush=True,
        )
        measured = sale_run(opts, sale, processes)
    finally:
        # The shop first (gunicorn finishes what it has in hand), then the
        # gateway it may still be calling: the other way round, a backlog
        # still being placed met a refused connection and was called off.
        for process in reversed(processes.values()):
            stop(process)
    books = flashsale_shop.books(sale)
    probe = probe_findings(work / "probe.jsonl")
    return {
        "run": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": {k: v for k, v in asdict(opts).items() if k != "database_url"},
        "python_speed_ns": round(python_speed_ns()),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "units_on_sale": sale.total_units,
        "books": asdict(books),
        **measured,
        "probe": probe,
        "invariants_broken": judge(sale, measured["shoppers"], books, probe),
        "logs": str(work),
    }


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    setup_django(opts.database_url)
    results = run(opts)
    text = report(results)
    print(text, flush=True)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    name = f"flashsale-control-{opts.control}" if opts.control else "flashsale-latest"
    (RESULTS_DIR / f"{name}.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    (RESULTS_DIR / f"{name}.md").write_text(text + "\n")
    return 0 if not results["invariants_broken"] else 1


if __name__ == "__main__":
    sys.exit(main())
