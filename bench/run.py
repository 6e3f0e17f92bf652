"""The benchmark: the site under load on national-scale data, as production runs it.

    python -m bench                       # full run, about 8-10 minutes
    python -m bench --quick               # smoke run, about a minute

It expects a database filled by `manage.py generate_scale_data` (default
kb_scale on 127.0.0.1, see bench/README.md), then:

1. counts the queries of every measured request (Django's test client, once each,
   and the catalog pages at 12 and 48 items);
2. runs EXPLAIN ANALYZE on the SQL those pages really send (search, catalog);
3. weighs the catalog and product pages for a 390 px wide phone;
4. starts gunicorn with config/gunicorn_conf.py and the production
   settings, pins itself (the load generator) to its own core, and sends load
   at fixed arrival rates: p50/p90/p99 and errors, median of three runs; then
   the highest rate each page sustains with p99 under 300 ms;
5. checkout: 100 buyers at once for a product with 10 in stock, and the
   rate of checkouts on distinct products;
6. reads each gunicorn worker's memory after the load.

Results go to bench/results/latest.json and latest.md, and are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
P99_LIMIT_MS = 300.0
CHECKOUT_P99_LIMIT_MS = 500.0


@dataclass
class Config:
    database_url: str
    port: int
    runs: int
    seconds: float  # each fixed-rate run
    step_seconds: float  # each rung of the max-rate search
    rates: dict[str, float]  # the fixed rate per endpoint
    ladder: list[float]
    checkout_ladder: list[float]
    contention_buyers: int
    contention_stock: int
    server_cpus: str
    loadgen_cpus: str
    media_root: str
    quick: bool
    only: set[str] = field(default_factory=set)
    update_readme: bool = False


def parse_args(argv: list[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kb_scale"),
    )
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--step-seconds", type=float, default=3.0)
    parser.add_argument(
        "--server-cpus",
        default="",
        help="CPUs for gunicorn (taskset list, e.g. 0); default all: app, database and "
        "load generator share this machine, as the targets assume.",
    )
    parser.add_argument(
        "--loadgen-cpus",
        default=str(max(0, (os.cpu_count() or 1) - 1)),
        help="CPUs the load generator (this process) is pinned to; default the last one.",
    )
    parser.add_argument("--media-root", default=str(BASE_DIR / "media"))
    parser.add_argument("--quick", action="store_true", help="One short run of everything.")
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="Put the results table into README.md's Benchmark section.",
    )
    parser.add_argument(
        "--only",
        default="",
        help="Comma-separated load sections to run: fixed, max_rate, contention (default all).",
    )
    args = parser.parse_args(argv)
    rates = {
        "home": 50,
        "catalog": 50,
        "search_common": 20,
        "search_rare": 20,
        "product": 50,
        "storefront": 50,
        "catalog_uncached": 50,
        "search_common_uncached": 20,
        "product_uncached": 50,
        "add_to_cart": 30,
        "checkout": 30,
    }
    ladder = [25, 50, 100, 150, 200, 250, 300, 400]
    checkout_ladder = [10, 20, 30, 45, 60]
    if args.quick:
        args.runs, args.seconds, args.step_seconds = 1, 2.0, 1.5
        rates = {k: min(v, 20) for k, v in rates.items()}
        ladder, checkout_ladder = [25, 50, 100], [10, 20]
    return Config(
        database_url=args.database_url,
        port=args.port,
        runs=args.runs,
        seconds=args.seconds,
        step_seconds=args.step_seconds,
        rates=rates,
        ladder=ladder,
        checkout_ladder=checkout_ladder,
        contention_buyers=100,
        contention_stock=10,
        server_cpus=args.server_cpus,
        loadgen_cpus=args.loadgen_cpus,
        media_root=args.media_root,
        quick=args.quick,
        only={part.strip() for part in args.only.split(",") if part.strip()},
        update_readme=args.update_readme,
    )


def server_environment(config: Config) -> dict[str, str]:
    """The environment production documents, pointed at the scale database."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings_production",
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
        "DATABASE_URL": config.database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "MEDIA_ROOT": config.media_root,
        "GUNICORN_BIND": f"127.0.0.1:{config.port}",
        "SITE_URL": f"https://127.0.0.1:{config.port}",
    }
    # CONN_MAX_AGE, CACHE_URL, WEB_CONCURRENCY, GUNICORN_THREADS: as set by the
    # caller, else the production defaults (settings.py, gunicorn_conf.py).
    return env


# --- the shop's URLs on this data ----------------------------------------------------


@dataclass
class Sample:
    product_paths: list[str]
    storefront_paths: list[str]
    catalog_path: str
    search_common: str
    search_rare: str
    cart_products: list[int]  # ready stock, distinct, for add-to-cart and checkout
    contention_product: int
    stats: dict = field(default_factory=dict)


COMMON_WORD = "kayu"
RARE_WORD = "lovebird"


def pick_sample(count: int = 500) -> Sample:
    """URLs spread over the whole catalog (a fixed, seeded pick), so the load is
    not one hot row in the database's cache."""
    from django.db import connection
    from django.db.models import Count

    from catalog.models import Product
    from facilities.models import Facility

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            "SELECT slug FROM catalog_product WHERE status = 'approved' ORDER BY random() LIMIT %s",
            [count],
        )
        products = [f"/produk/{row[0]}/" for row in cursor.fetchall()]
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(
            "SELECT slug FROM facilities_facility WHERE is_active ORDER BY random() LIMIT 100"
        )
        storefronts = [f"/upt/{row[0]}/" for row in cursor.fetchall()]
    # The province with the most products: the heaviest two-filter page.
    province = (
        Facility.objects.values("province")
        .annotate(n=Count("products"))
        .order_by("-n", "province")
        .values_list("province", flat=True)
        .first()
    )
    catalog = "/produk/?" + urlencode({"category": "kerajinan", "province": province})
    ready = list(
        Product.objects.public()
        .filter(made_to_order=False, min_order_quantity=1, stock__gte=20)
        .order_by("id")
        .values_list("id", flat=True)[:5000]
    )
    if len(ready) < 200:
        raise SystemExit(f"Only {len(ready)} products with stock: generate more scale data.")
    stats = {
        "products": Product.objects.count(),
        "public_products": Product.objects.public().count(),
        "facilities": Facility.objects.count(),
    }
    try:
        from orders.models import Order

        stats["orders"] = Order.objects.count()
    except ImportError:  # pragma: no cover - orders app always there now
        pass
    return Sample(
        product_paths=products,
        storefront_paths=storefronts,
        catalog_path=catalog,
        search_common=f"/produk/?q={quote(COMMON_WORD)}",
        search_rare=f"/produk/?q={quote(RARE_WORD)}",
        cart_products=ready[1:],
        contention_product=ready[0],
        stats=stats,
    )


# The same pages when the page cache cannot help (a filter combination or a
# product nobody asked for in the last minute): an extra, ignored parameter
# makes every URL new, so every request builds its page.
UNCACHED = {
    "catalog_uncached": "catalog",
    "search_common_uncached": "search_common",
    "product_uncached": "product",
}


def _never_cached(path: str, i: int) -> str:
    return f"{path}{'&' if '?' in path else '?'}bench={i}"


def get_endpoints(sample: Sample) -> dict[str, list[str]]:
    return {
        "home": ["/"],
        "catalog": [sample.catalog_path],
        "search_common": [sample.search_common],
        "search_rare": [sample.search_rare],
        "product": sample.product_paths,
        "storefront": sample.storefront_paths,
    }


# --- 1. queries per request, 2. EXPLAIN ANALYZE, 3. page weight ---------------------


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


class Server:
    """gunicorn with config/gunicorn_conf.py, as production starts it."""

    def __init__(self, config: Config, env: dict[str, str]):
        self.config = config
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen | None = None
        self.log = open(RESULTS_DIR / "gunicorn.log.tmp", "w")  # noqa: SIM115 - closed in stop()

    def start(self) -> None:
        command = [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(BASE_DIR / "config" / "gunicorn_conf.py"),
            "config.wsgi",
        ]
        if self.config.server_cpus and shutil.which("taskset"):
            command = ["taskset", "-c", self.config.server_cpus, *command]
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        import urllib.request

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited; see bench/results/gunicorn.log.tmp")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.config.port}/healthz", timeout=2
                ) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def processes(self):
        import psutil

        master = psutil.Process(self.process.pid)
        if master.name() == "taskset":  # exec'd into gunicorn, same pid
            master = psutil.Process(self.process.pid)
        return master, master.children(recursive=True)

    def cpu_seconds(self) -> float:
        master, workers = self.processes()
        total = 0.0
        for p in [master, *workers]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except Exception:  # noqa: BLE001 - a worker replaced meanwhile
                pass
        return total

    def worker_rss_mb(self) -> list[float]:
        _master, workers = self.processes()
        return sorted(round(w.memory_info().rss / 2**20, 1) for w in workers)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# --- 4-5. load -----------------------------------------------------------------------


def _headers(port: int) -> dict[str, str]:
    # As nginx would send them: TLS ended at the proxy, the site's own origin.
    return {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "127.0.0.1",
        "User-Agent": "karyabinaan-bench",
        "Accept": "text/html",
    }


def _csrf() -> str:
    return secrets.token_hex(16)  # 32 characters: a valid CSRF secret


_shoppers = iter(range(1, 2**17))


def shopper_address() -> str:
    """A distinct client address per simulated shopper, in the X-Forwarded-For
    header nginx would send (198.18.0.0/15 is the range set aside for
    benchmarks, RFC 2544); no traffic goes there. Without it every shopper
    would be 127.0.0.1 and the per-address checkout rate limit would refuse
    them, which is right for one address and wrong for a crowd."""
    n = next(_shoppers)
    return f"198.{18 + n // 65536}.{n // 256 % 256}.{n % 256}"


def _post(path: str, body: bytes, *, port: int, csrf: str, session: str = "", ip: str = ""):
    from bench.loadgen import Request

    cookie = f"csrftoken={csrf}" + (f"; sessionid={session}" if session else "")
    return Request(
        "POST",
        path,
        {
            "X-Forwarded-For": ip or shopper_address(),
            "Cookie": cookie,
            "Origin": f"https://127.0.0.1:{port}",
            "Referer": f"https://127.0.0.1:{port}/checkout/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body,
    )


async def prepare_buyers(client, config: Config, product_ids: list[int], concurrency: int = 8):
    """One shopper per product id: a cart holding it, and the checkout POST they
    will send (read from their checkout page). Returns the POST requests."""
    from bench.forms import checkout_body
    from bench.loadgen import Request

    semaphore = asyncio.Semaphore(concurrency)
    port = config.port

    async def one(n: int, product_id: int):
        async with semaphore:
            csrf, ip = _csrf(), shopper_address()
            body = urlencode({"product": product_id, "quantity": 1, "csrfmiddlewaretoken": csrf})
            added = await client.request(
                _post("/keranjang/tambah/", body.encode(), port=port, csrf=csrf, ip=ip)
            )
            session = added.cookies.get("sessionid", "")
            if added.status != 302 or not session:
                raise RuntimeError(f"add to cart failed: HTTP {added.status}")
            page = await client.request(
                Request(
                    "GET",
                    "/checkout/",
                    {"Cookie": f"csrftoken={csrf}; sessionid={session}", "X-Forwarded-For": ip},
                )
            )
            if page.status != 200:
                raise RuntimeError(f"checkout page: HTTP {page.status}")
            post = checkout_body(
                page.body.decode(),
                name=f"Pembeli Uji {n}",
                phone=f"0812{20_000_000 + n:08d}",
                csrf=csrf,
            )
            return _post("/checkout/", post, port=port, csrf=csrf, session=session, ip=ip)

    return await asyncio.gather(*(one(n, pid) for n, pid in enumerate(product_ids)))


def _placed(response) -> bool:
    return response.status == 302 and "/selesai/" in response.headers.get("location", "")


class Load:
    def __init__(self, config: Config, sample: Sample, server: Server):
        self.config, self.sample, self.server = config, sample, server
        self.cart_cursor = 0
        self.uncached_runs = 0  # each run's URLs are new ones
        self.last_machine_cpu = 0.0
        self.log: list[str] = []

    def say(self, message: str) -> None:
        print(message, flush=True)
        self.log.append(message)

    def next_products(self, n: int) -> list[int]:
        pool = self.sample.cart_products
        if self.cart_cursor + n > len(pool):
            self.cart_cursor = 0  # wrap: stock is >= 20, each checkout takes 1
        chosen = pool[self.cart_cursor : self.cart_cursor + n]
        self.cart_cursor += n
        return chosen

    def client(self, **kw):
        from bench.loadgen import HttpClient

        return HttpClient(
            "127.0.0.1", self.config.port, default_headers=_headers(self.config.port), **kw
        )

    async def settle(self, limit: float = 20.0) -> float:
        """Wait until the previous run's backlog is gone: gunicorn near idle
        and the machine mostly idle, so one page's overload does not count
        against the next. Returns the seconds waited."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            cpu0, busy0 = self.server.cpu_seconds(), _machine_busy()
            await asyncio.sleep(0.5)
            if (self.server.cpu_seconds() - cpu0) / 0.5 < 0.1 and (
                _machine_busy() - busy0
            ) / 0.5 < 0.8:
                break
        return time.monotonic() - start

    async def run_once(self, name: str, rate: float, seconds: float):
        """One fixed-rate run of endpoint `name`; returns (RunResult, server CPU share)."""
        from bench.loadgen import Request, fixed_rate

        client = self.client()
        port = self.config.port
        if name in get_endpoints(self.sample):
            paths = get_endpoints(self.sample)[name]
            requests = [Request("GET", p) for p in paths]
            ok = lambda r: r.status == 200  # noqa: E731
        elif name in UNCACHED:
            paths = get_endpoints(self.sample)[UNCACHED[name]]
            self.uncached_runs += 1
            first = self.uncached_runs * 100_000
            requests = [
                Request("GET", _never_cached(paths[i % len(paths)], first + i))
                for i in range(int(rate * seconds) + 1)
            ]
            ok = lambda r: r.status == 200 and r.headers.get("x-page-cache") == "miss"  # noqa: E731
        elif name == "add_to_cart":
            requests = []
            for pid in self.next_products(int(rate * seconds) + 1):
                csrf = _csrf()
                body = urlencode({"product": pid, "quantity": 1, "csrfmiddlewaretoken": csrf})
                requests.append(_post("/keranjang/tambah/", body.encode(), port=port, csrf=csrf))
            ok = lambda r: r.status == 302 and "/keranjang/" in r.headers.get("location", "")  # noqa: E731
        elif name == "checkout":
            prep = self.client(max_connections=16)
            products = self.next_products(int(rate * seconds) + 1)
            requests = await prepare_buyers(prep, self.config, products)
            await prep.close()
            ok = _placed
        else:
            raise ValueError(name)
        await self.settle()
        cpu0, busy0, t0 = self.server.cpu_seconds(), _machine_busy(), time.monotonic()
        result = await fixed_rate(client, requests, rate=rate, duration=seconds, ok=ok)
        wall = time.monotonic() - t0
        server_cpu = (self.server.cpu_seconds() - cpu0) / wall
        # Everything else busy meanwhile: PostgreSQL, and whatever else runs
        # on this shared machine (told apart from the app in the report).
        self.last_machine_cpu = (_machine_busy() - busy0) / wall
        await client.close()
        return result, server_cpu

    async def warm(self, name: str) -> None:
        """One unmeasured pass over every URL of a page (500 products, 100
        storefronts, one catalog or search URL), so the page cache holds what
        a shop's readers keep asking for; the *_uncached rows measure pages
        not in it."""
        from bench.loadgen import Request, fixed_rate

        paths = get_endpoints(self.sample).get(name, [])
        if not paths:
            return
        client = self.client()
        await fixed_rate(
            client, [Request("GET", p) for p in paths], rate=50, duration=len(paths) / 50
        )
        await client.close()

    async def fixed(self, name: str) -> dict:
        from bench.loadgen import median_result

        await self.warm(name)
        rate = self.config.rates[name]
        runs, cpus, machine = [], [], []
        for _ in range(self.config.runs):
            result, cpu = await self.run_once(name, rate, self.config.seconds)
            runs.append(result)
            cpus.append(cpu)
            machine.append(self.last_machine_cpu)
        med = median_result(runs)
        self.say(
            f"  {name:<14} {rate:>4.0f}/s  p50 {med.p50_ms:7.1f}  p90 {med.p90_ms:7.1f}  "
            f"p99 {med.p99_ms:7.1f} ms {[round(r.p99_ms) for r in runs]}  "
            f"errors {med.errors}/{med.sent}  cached {med.cache_hits}/{med.sent}  "
            f"CPU: gunicorn {statistics.median(cpus):.2f}, whole machine "
            f"{statistics.median(machine):.2f} cores, loadgen {med.loadgen_cpu:.2f}"
        )
        return {
            **asdict(med),
            "runs_p99_ms": [round(r.p99_ms, 1) for r in runs],
            "server_cpu_cores": round(statistics.median(cpus), 2),
            "machine_cpu_cores": round(statistics.median(machine), 2),
        }

    async def max_rate(self, name: str, ladder: list[float], limit_ms: float) -> dict:
        """Climb `ladder` one short run per rung until p99 >= limit, an error,
        or throughput below 95% of the offered rate; then confirm the last good
        rung with two more runs (median of three), stepping down if it fails."""

        def good(r) -> bool:
            return r.p99_ms < limit_ms and r.errors == 0 and r.throughput >= 0.95 * r.rate

        await self.warm(name)
        steps, best_index = [], -1
        for index, rate in enumerate(ladder):
            result, _cpu = await self.run_once(name, rate, self.config.step_seconds)
            steps.append({"rate": rate, "p99_ms": round(result.p99_ms, 1), "errors": result.errors})
            if not good(result):
                break
            best_index = index
        confirmed = 0.0
        while best_index >= 0:
            rate = ladder[best_index]
            runs = [await self.run_once(name, rate, self.config.step_seconds) for _ in range(2)]
            first = next(s for s in steps if s["rate"] == rate)
            median = statistics.median([first["p99_ms"], *(r.p99_ms for r, _ in runs)])
            if median < limit_ms and all(r.errors == 0 for r, _ in runs):
                confirmed = rate
                break
            best_index -= 1
        self.say(f"  {name:<14} max rate with p99 < {limit_ms:.0f} ms: {confirmed:.0f}/s  {steps}")
        return {"max_rate": confirmed, "steps": steps}

    async def contention(self) -> dict:
        """100 buyers press "buy" together for one product with 10 in stock."""
        from bench.loadgen import burst

        product = self.sample.contention_product
        buyers, stock = self.config.contention_buyers, self.config.contention_stock
        runs = []
        for _ in range(self.config.runs):
            # Enough stock to fill every cart, then only `stock` left to sell.
            await asyncio.to_thread(_set_stock, product, buyers)
            prep = self.client(max_connections=16)
            requests = await prepare_buyers(prep, self.config, [product] * buyers)
            await prep.close()
            last_line = await asyncio.to_thread(_set_stock, product, stock)
            client = self.client(max_connections=buyers)
            result, responses = await burst(client, requests, ok=lambda r: r.status < 500)
            await client.close()
            sold, stock_after = await asyncio.to_thread(_sold_since, product, last_line)
            answered = [r for r in responses if r is not None]
            runs.append(
                {
                    "sold": sold,
                    "placed_responses": sum(1 for r in answered if _placed(r)),
                    "refused": sum(1 for r in answered if not _placed(r) and r.status < 500),
                    "statuses": _status_counts(answered),
                    "errors": result.errors,
                    "stock_after": stock_after,
                    "p99_ms": round(result.p99_ms, 1),
                    "wall_s": round(result.max_ms / 1000, 2),
                }
            )
        exact = all(r["sold"] == stock and r["stock_after"] == 0 and r["errors"] == 0 for r in runs)
        summary = {
            "buyers": buyers,
            "stock": stock,
            "runs": runs,
            "sold": statistics.median(r["sold"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
            "exact": exact,
        }
        self.say(
            f"  contention: {buyers} buyers, {stock} in stock -> sold "
            f"{[r['sold'] for r in runs]}, placed {[r['placed_responses'] for r in runs]}, "
            f"errors {summary['errors']}, exact={exact}"
        )
        return summary


def _machine_busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores, all processes)."""
    import psutil

    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0)


def _status_counts(responses) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in responses:
        where = r.headers.get("location", "").split("?")[0]
        if where.startswith("/pesanan/"):
            where = "/pesanan/<code>/selesai/"  # one key for every confirmation
        key = f"{r.status} {where}".strip()
        counts[key] = counts.get(key, 0) + 1
    return counts


def _set_stock(product_id: int, stock: int) -> int:
    """Set a product's stock; returns the last order line id (to count sales after)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_product SET stock = %s WHERE id = %s", [stock, product_id])
        cursor.execute("SELECT coalesce(max(id), 0) FROM orders_orderline")
        last = cursor.fetchone()[0]
    connection.close()
    return last


def _sold_since(product_id: int, last_line: int) -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(quantity), 0) FROM orders_orderline "
            "WHERE product_id = %s AND id > %s",
            [product_id, last_line],
        )
        sold = cursor.fetchone()[0]
        cursor.execute("SELECT stock FROM catalog_product WHERE id = %s", [product_id])
        stock_after = cursor.fetchone()[0]
    connection.close()
    return sold, stock_after


async def load_phase(config: Config, sample: Sample, server: Server) -> dict:
    load = Load(config, sample, server)
    out: dict = {"fixed": {}, "max_rate": {}, "contention": None}

    def wanted(section: str) -> bool:
        return not config.only or section in config.only

    # Warm every worker's caches and connections first (not measured).
    for name in get_endpoints(sample):
        await load.run_once(name, 20, 1.0)
    if wanted("fixed"):
        load.say(f"fixed arrival rate (median of {config.runs} runs of {config.seconds:.0f} s):")
        for name in config.rates:
            out["fixed"][name] = await load.fixed(name)
    if wanted("max_rate"):
        load.say("highest sustained rate:")
        for name in [*get_endpoints(sample), *UNCACHED]:
            out["max_rate"][name] = await load.max_rate(name, config.ladder, P99_LIMIT_MS)
        out["max_rate"]["checkout"] = await load.max_rate(
            "checkout", config.checkout_ladder, CHECKOUT_P99_LIMIT_MS
        )
    if wanted("contention"):
        load.say("checkout under contention:")
        out["contention"] = await load.contention()
    return out


# --- report --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    config = parse_args(argv)
    env = server_environment(config)
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    # The scale data was generated with some earlier code: bring its schema up
    # to date (new tables stay empty; the benchmark never drops anything).
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    sample = pick_sample()
    print(f"data: {sample.stats}", flush=True)
    queries = count_queries(sample)
    print(f"queries per request: { {k: v['queries'] for k, v in queries.items()} }", flush=True)
    explains = explain_pages(sample, config.runs)
    print(f"EXPLAIN ANALYZE: { {k: v['total_ms'] for k, v in explains.items()} }", flush=True)
    weights = weigh_pages(sample)
    print(f"page weight: { {k: v['total'] for k, v in weights.items()} }", flush=True)

    from django.core.cache import cache
    from django.db import connection

    connection.close()  # the server gets the database to itself while loaded
    # Every run starts with no stored pages (a shared cache outlives the server).
    cache.clear()
    server = Server(config, env)
    server.start()
    if config.loadgen_cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(c) for c in config.loadgen_cpus.split(",")})
    # The sender must keep its schedule on a busy machine; it uses little CPU.
    with contextlib.suppress(OSError):
        os.nice(-5)
    try:
        load = asyncio.run(load_phase(config, sample, server))
        rss = server.worker_rss_mb()
    finally:
        server.stop()
    import resource

    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "server_cpus": config.server_cpus or "all",
            "loadgen_cpus": config.loadgen_cpus,
            "gunicorn": _gunicorn_settings(env),
            "conn_max_age": os.environ.get("CONN_MAX_AGE", "60 (default)"),
            "cache": os.environ.get("CACHE_URL", "locmemcache:// (default, one per worker)"),
            "load_average_at_end": os.getloadavg(),
        },
        "config": {k: v for k, v in asdict(config).items() if k != "database_url"},
        "data": sample.stats,
        "queries": queries,
        "explain": explains,
        "weight": weights,
        "load": load,
        "worker_rss_mb": rss,
        "bench_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "seconds": round(time.monotonic() - started, 1),
    }
    from bench.report import render_markdown

    suffix = "-quick" if config.quick else ""
    (RESULTS_DIR / f"latest{suffix}.json").write_text(json.dumps(results, indent=2, default=str))
    markdown = render_markdown(results)
    (RESULTS_DIR / f"latest{suffix}.md").write_text(markdown)
    print()
    print(markdown)
    if config.update_readme:
        from bench.report import update_readme

        update_readme(BASE_DIR / "README.md", markdown)
        print("README.md: Benchmark section updated")
    return 0


def _gunicorn_settings(env: dict[str, str]) -> dict:
    """The effective worker settings, read from the config file as gunicorn would."""
    import runpy

    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(BASE_DIR / "config" / "gunicorn_conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {k: conf[k] for k in ("worker_class", "workers", "threads", "keepalive", "max_requests")}


if __name__ == "__main__":
    sys.exit(main())
