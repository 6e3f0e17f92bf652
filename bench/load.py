"""Load runs against the server: fixed rates, the highest sustained rate, contention."""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import asdict
from urllib.parse import urlencode

from bench.config import Config
from bench.sample import UNCACHED, Sample, _never_cached, get_endpoints
from bench.server import Server
from bench.shoppers import _csrf, _headers, _placed, _post, prepare_buyers


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
