"""Long-tail pages through the edge (Varnish with deploy/varnish/cache.vcl) at
a fixed rate, and the time from a staff save to the changed page at the edge.

    DATABASE_URL=postgres://.../kb_scale python -m bench.edge [--rate 3000 --seconds 20]

What it does, on the bench data (bench/README.md, "Through the edge"):

1. starts gunicorn as production does (settings_production, Redis cache) and
   varnishd in front of it (a one-backend default VCL that includes
   deploy/varnish/cache.vcl, as tests/edge does), EDGE_PURGE_URLS pointing
   at it;
2. draws `rate x seconds` long-tail URLs per mix (Zipf s=1.0 over every
   public product page, and over 20,000 catalog filter/search/sort/page
   combinations: bench/longtail.py) and fills the edge with the distinct
   ones first (the app builds each once: the edge's steady state for
   pages that stay cached; the misses' own cost is the bench's "built" rows);
3. sends each mix through Varnish with wrk (bench/edge_wrk.lua: a fixed
   schedule per thread, many mostly idle connections) and records latency,
   errors, the rate reached and the CPU of wrk, varnishd and gunicorn;
4. during the product run, saves one product a second through
   catalog.services.product_update (this process: its purge goes to the
   edge after commit) and times each save until the edge answers the new
   price (polled every 5 ms).

Results: bench/results/edge.json and a Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench import varnish

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench" / "results"
VARNISHD = varnish.VARNISHD
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def cpu_seconds(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            for p in [process, *process.children(recursive=True)]:
                times = p.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass
    return total


class Stack:
    """gunicorn and varnishd, each a child process of this one."""

    def __init__(self, args, folder: Path):
        self.app_port = free_port()
        self.edge_port = free_port()
        self.edge_url = f"http://127.0.0.1:{self.edge_port}/"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings_production",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "GUNICORN_BIND": f"127.0.0.1:{self.app_port}",
            "SITE_URL": f"https://127.0.0.1:{self.edge_port}",
            "CACHE_URL": args.cache_url,
            "PUBLIC_PAGE_CACHE_SECONDS": str(args.page_seconds),
            "EDGE_PURGE_URLS": self.edge_url,
            # TLS ends in front of the edge (a CDN or nginx); here plain HTTP.
            "SECURE_SSL_REDIRECT": "0",
        }
        self.folder = folder
        # The production settings serve hashed static files (as bench.run).
        subprocess.run(
            [str(BASE_DIR / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
        )
        self.gunicorn = subprocess.Popen(
            [str(BASE_DIR / ".venv/bin/gunicorn"), "-c", "marketplace/gunicorn_conf.py"]
            + ["marketplace.wsgi"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=(folder / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        wait_for(f"http://127.0.0.1:{self.app_port}/healthz")
        self.varnish = varnish.start(folder, app_port=self.app_port, edge_port=self.edge_port)
        wait_for(f"{self.edge_url}healthz")

    def stop(self) -> None:
        for process in (self.varnish, self.gunicorn):
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def warm(stack: Stack, paths: list[str], workers: int = 6) -> dict:
    """Every distinct path once through the edge: the app builds each (as
    many at once as gunicorn has workers), the edge keeps it."""
    from concurrent.futures import ThreadPoolExecutor

    distinct = list(dict.fromkeys(paths))

    def fetch(path: str) -> int:
        try:
            with urllib.request.urlopen(stack.edge_url + path.lstrip("/"), timeout=30) as r:
                r.read()
                return r.status
        except OSError:
            return 0

    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(fetch, distinct))
    seconds = time.monotonic() - started
    return {
        "distinct": len(distinct),
        "seconds": round(seconds, 1),
        "built_per_second": round(len(distinct) / seconds),
        "not_200": sum(status != 200 for status in statuses),
    }


def run_wrk(stack: Stack, listing: Path, *, rate: float, seconds: int, connections: int) -> dict:
    threads = 2
    command = [WRK, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "5s", "-s", str(BASE_DIR / "bench" / "edge_wrk.lua")]
    command += [stack.edge_url, "--", str(listing), str(rate), str(threads)]
    edge_cpu = cpu_seconds([stack.varnish.pid])
    app_cpu = cpu_seconds([stack.gunicorn.pid])
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    _pid, _status, usage = os.wait4(process.pid, 0)
    elapsed = time.monotonic() - started
    output = process.stdout.read().decode()
    line = next((x for x in output.splitlines() if x.startswith("KB-RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk said:\n{output}")
    result = json.loads(line.removeprefix("KB-RESULT "))
    duration = result["duration_us"] / 1e6
    result["rate"] = round(result["requests"] / duration)
    result["errors"] = sum(result[k] for k in result if k.endswith("_errors")) + result["timeouts"]
    result["wrk_cores"] = round((usage.ru_utime + usage.ru_stime) / elapsed, 2)
    result["varnish_cores"] = round((cpu_seconds([stack.varnish.pid]) - edge_cpu) / elapsed, 2)
    result["gunicorn_cores"] = round((cpu_seconds([stack.gunicorn.pid]) - app_cpu) / elapsed, 2)
    return result


class Saves:
    """One product save a second; each timed until the edge shows its new price."""

    def __init__(self, stack: Stack, slugs: list[str]):
        self.stack = stack
        self.slugs = slugs
        self.seconds: list[float] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(30)
        ms = sorted(s * 1000 for s in self.seconds)
        if not ms:
            return {"saves": 0, "errors": self.errors[:3]}
        return {
            "saves": len(ms),
            "errors": len(self.errors),
            "first_errors": self.errors[:3],
            "p50_ms": round(statistics.median(ms), 1),
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1),
            "max_ms": round(ms[-1], 1),
        }

    def _page(self, slug: str) -> str:
        url = f"{self.stack.edge_url}produk/{slug}/"
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()

    def _run(self) -> None:
        from django.db import connection

        from catalog.models import Product
        from catalog.services import product_update
        from core.money import format_rupiah

        rng = random.Random(20261207)
        due = time.monotonic()
        try:
            while not self._stop.is_set():
                due += 1.0
                slug = rng.choice(self.slugs)
                try:
                    product = Product.objects.get(slug=slug)
                    price = product.price + rng.choice((500, 1000, 1500)) * rng.choice((1, -1))
                    price = max(1000, price)
                    shown = format_rupiah(price)
                    self._page(slug)  # in the edge before the save
                    started = time.perf_counter()
                    product_update(product=product, actor=None, price=price)
                    while shown not in self._page(slug):
                        if time.perf_counter() - started > 10:
                            raise TimeoutError(f"{slug}: {shown} not at the edge in 10 s")
                        time.sleep(0.005)
                    self.seconds.append(time.perf_counter() - started)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    self.errors.append(f"{type(exc).__name__}: {exc}"[:200])
                self._stop.wait(max(0.0, due - time.monotonic()))
        finally:
            connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.edge", description=__doc__)
    parser.add_argument("--rate", type=float, default=3000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/11")
    # The edge must keep a long-tail page longer than the tail takes to come
    # back to it; purges (not expiry) bring changes.
    parser.add_argument("--page-seconds", type=int, default=3600)
    parser.add_argument("--mixes", default="product,catalog")
    # How many Zipf draws per mix; wrk replays them in order, round and round.
    # Fewer draws: fewer distinct URLs to fill the edge with first (the app
    # builds ~10-40 pages a second on the shared machine), a shorter tail.
    parser.add_argument("--draws", type=int, default=0, help="default: rate x seconds x 1.2")
    args = parser.parse_args(argv)
    for tool in (VARNISHD, WRK):
        if not Path(tool).exists():
            raise SystemExit(f"{tool} is missing (apt-get install varnish varnish-modules wrk)")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ["CACHE_URL"] = args.cache_url
    os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = str(args.page_seconds)
    import django

    django.setup()
    from django.conf import settings

    from bench.longtail import LongTail, catalog_paths, product_paths

    mixes = {}
    for name in args.mixes.split(","):
        paths = product_paths() if name == "product" else catalog_paths(20_000)
        mixes[name] = LongTail.of(name, paths).take(
            args.draws or int(args.rate * args.seconds * 1.2)
        )
    folder = Path(tempfile.mkdtemp(prefix="kb-bench-edge-"))
    stack = Stack(args, folder)
    settings.EDGE_PURGE_URLS = [stack.edge_url]
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "cores": os.cpu_count(),
        "rate": args.rate,
        "seconds": args.seconds,
        "connections": args.connections,
        "page_seconds": args.page_seconds,
        "draws": {name: len(paths) for name, paths in mixes.items()},
        "urls": {name: len(set(paths)) for name, paths in mixes.items()},
        "runs": {},
    }
    try:
        for name, paths in mixes.items():
            results["runs"][name] = {"warm": warm(stack, paths)}
            print(name, "warm", results["runs"][name]["warm"], file=sys.stderr)
            listing = folder / f"{name}.txt"
            listing.write_text("\n".join(paths) + "\n")
            saves = None
            if name == "product":
                slugs = [p.split("/")[2] for p in dict.fromkeys(paths[:2000])]
                saves = Saves(stack, slugs)
                saves.start()
            run = run_wrk(
                stack, listing, rate=args.rate, seconds=args.seconds, connections=args.connections
            )
            if saves is not None:
                run["saves"] = saves.stop()
            results["runs"][name]["load"] = run
            print(name, json.dumps(run), file=sys.stderr)
    finally:
        stack.stop()
        shutil.rmtree(varnish.workdir(folder), ignore_errors=True)
        print(f"logs: {folder}", file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "edge.json").write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


def table(results: dict) -> str:
    lines = [
        f"Run {results['when']} on {results['cores']} cores (varnishd, gunicorn, PostgreSQL, "
        f"Redis and wrk together), {results['connections']} connections, "
        f"PUBLIC_PAGE_CACHE_SECONDS {results['page_seconds']}.",
        "",
        "| through the edge (Zipf s=1.0) | distinct URLs | rate asked | rate reached | p50 ms "
        "| p90 ms | p99 ms | errors | wrk cores | varnishd cores | gunicorn cores |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, run in results["runs"].items():
        load = run["load"]
        lines.append(
            f"| {name} | {results['urls'][name]:,} | {results['rate']:,.0f}/s | "
            f"{load['rate']:,}/s | {load['p50_us'] / 1000:.2f} | {load['p90_us'] / 1000:.2f} | "
            f"{load['p99_us'] / 1000:.2f} | {load['errors']}/{load['requests']} | "
            f"{load['wrk_cores']} | {load['varnish_cores']} | {load['gunicorn_cores']} |"
        )
    for name, run in results["runs"].items():
        saves = run["load"].get("saves")
        if saves:
            lines.append(
                f"\nStaff save to the changed page at the edge, one save a second during the "
                f"{name} run: {saves['saves']} saves, p50 {saves.get('p50_ms')} ms, "
                f"p99 {saves.get('p99_ms')} ms, max {saves.get('max_ms')} ms, "
                f"errors {saves['errors']}."
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
