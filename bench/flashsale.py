"""The flash sale: a crowd of shoppers in a few seconds for a few units,
paying by QRIS through the gateway simulator, over HTTP against gunicorn
started with the project's own configuration and the production settings.

    python -m bench flashsale                      # 1,000 shoppers in 10 s, 10 x 10 units
    python -m bench flashsale --shoppers 200 --seconds 4 --units 2
    python -m bench flashsale --control atomic_requests   # the charge under the lock

Shoppers arrive open-loop (shopper i at start + i * seconds / shoppers,
whether or not earlier ones are done), each on a product drawn uniformly from
the sale's, and walk the journey in bench/flashsale_journey.py. The gateway
simulator (gatewaysim) runs as a gunicorn of its own, as the real gateway is
another service, answering each charge after --gateway-delay seconds; the shop
reaches it through MIDTRANS_BASE_URL with the simulator's key.

Reported: units sold (from the database), orders placed, shoppers turned
away with the sold-out message (and at which step), p50/p95/p99 of the
placing request, errors, the invariants (bench/flashsale_shop.books), the
gateway probe (bench/probed_wsgi.py: no charge under a lock), and CPU: the
load generator's own share, gunicorn's, the simulator's, the whole machine's.
Results: bench/results/flashsale-latest.json and .md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.config import BASE_DIR, RESULTS_DIR, python_speed_ns
from bench.loadgen import percentile

GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
GUNICORN_CONF = BASE_DIR / "marketplace" / "gunicorn_conf.py"
SIMULATOR_KEY = "SB-Mid-server-LOCAL-SIMULATOR"  # marketplace/settings_outside.py


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
    control: str = ""
    loadgen_cpus: str = ""
    seed: int = 33
    cache_url: str = "redis://127.0.0.1:6379/14"
    shop_env: dict[str, str] = field(default_factory=dict)  # e.g. WEB_CONCURRENCY
    static_root: str = str(BASE_DIR / "staticfiles")


# --- the two servers ---------------------------------------------------------------


def shop_environment(opts: Options, probe_log: str) -> dict[str, str]:
    """The production settings and gunicorn configuration, online payment
    through the simulator's address with the simulator's key (DEBUG off
    without a key offers no online payment at all)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings_production",
        DEBUG="0",
        SECRET_KEY="flashsale-" + secrets.token_urlsafe(40),
        DATABASE_URL=opts.database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GUNICORN_BIND=f"127.0.0.1:{opts.port}",
        SITE_URL=f"https://127.0.0.1:{opts.port}",
        STATIC_ROOT=opts.static_root,
        MIDTRANS_SERVER_KEY=SIMULATOR_KEY,
        MIDTRANS_BASE_URL=f"http://127.0.0.1:{opts.simulator_port}/_simulator/midtrans",
        FLASHSALE_PROBE_LOG=probe_log,
    )
    env.pop("CACHE_URL", None)
    if opts.cache_url:
        env["CACHE_URL"] = opts.cache_url
    env.update(opts.shop_env)
    if opts.control:
        env["FLASHSALE_CONTROL"] = opts.control
    return env


def simulator_environment(opts: Options) -> dict[str, str]:
    """gatewaysim alone: development settings (the simulator only answers
    with DEBUG on and no real key), one worker, enough threads that a charge
    sleeping its delay never waits for a free one."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MIDTRANS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="1",
        KB_NO_BOOTSTRAP="1",
        DATABASE_URL=opts.database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GUNICORN_BIND=f"127.0.0.1:{opts.simulator_port}",
        SITE_URL=f"http://127.0.0.1:{opts.simulator_port}",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="24",
        CONN_MAX_AGE="60",
        MIDTRANS_SIMULATOR_DELAY_SECONDS=str(opts.gateway_delay),
    )
    return env


def shop_command() -> list[str]:
    return [str(GUNICORN), "-c", str(GUNICORN_CONF), "bench.probed_wsgi"]


def simulator_command() -> list[str]:
    return [str(GUNICORN), "-c", str(GUNICORN_CONF), "marketplace.wsgi"]


def wait_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


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
    client = HttpClient("127.0.0.1", port, max_connections=512, timeout=30.0)
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


def summarise(trips, sent: dict) -> dict:
    from bench.flashsale_journey import PLACED, SOLD_OUT

    outcomes: dict[str, int] = {}
    for t in trips:
        outcomes[t.outcome] = outcomes.get(t.outcome, 0) + 1
    placing = [t.place_ms for t in trips if t.place_ms is not None]
    placed = [t.place_ms for t in trips if t.outcome == PLACED]
    errors = [t for t in trips if t.outcome not in (PLACED, *SOLD_OUT)]
    details: dict[str, int] = {}
    for t in errors:
        details[t.detail] = details.get(t.detail, 0) + 1
    steps: dict[str, list[float]] = {}
    for t in trips:
        for name, ms in t.steps_ms.items():
            steps.setdefault(name, []).append(ms)

    def pct(values):
        return {p: round(percentile(values, p), 1) for p in (50, 95, 99)} | {
            "max": round(max(values), 1) if values else None,
            "n": len(values),
        }

    placed_at = [t.placed_at - sent["start"] for t in trips if t.placed_at is not None]
    return {
        "outcomes": outcomes,
        # When the last unit went, from the first shopper's arrival: the
        # window in which later shoppers could still be offered a unit.
        "last_placed_after_s": round(max(placed_at), 2) if placed_at else None,
        "placed": outcomes.get(PLACED, 0),
        "turned_away": sum(outcomes.get(k, 0) for k in SOLD_OUT),
        "errors": len(errors),
        "error_details": dict(sorted(details.items(), key=lambda kv: -kv[1])[:10]),
        "placing_ms": pct(placing),
        "placing_placed_ms": pct(placed),
        "journey_ms": pct([t.journey_ms for t in trips]),
        "steps_ms": {k: pct(v) for k, v in steps.items()},
        "sold_out_messages": sorted(
            {t.detail for t in trips if t.outcome in SOLD_OUT and t.detail}
        )[:5],
        "loadgen_cpu": round(sent["loadgen_cpu"], 3),
        "loadgen_max_lag_ms": round(sent["max_lag_ms"], 1),
        "wall_s": round(sent["wall_s"], 2),
    }


def probe_findings(path: Path) -> dict:
    """The gateway calls the shop made, and those made while its database
    session held a row lock or a transaction."""
    calls = (
        [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        if path.exists()
        else []
    )
    charges = [c for c in calls if c["call"] == "charge"]
    locked = [c for c in charges if c["row_locks"] or c["in_atomic"] or c["pg_in_transaction"]]
    return {
        "gateway_calls": len(calls),
        "charges": len(charges),
        "charges_under_lock_or_transaction": len(locked),
        "charges_with_row_locks": sum(1 for c in charges if c["row_locks"]),
        "charge_seconds_p50": round(percentile([c["seconds"] for c in charges], 50), 3)
        if charges
        else None,
    }


# --- CPU ----------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    import psutil

    total = 0.0
    try:
        master = psutil.Process(pid)
        for p in [master, *master.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += (
                    t.user + t.system + (t.children_user + t.children_system if p is master else 0)
                )
            except psutil.Error:
                pass
    except psutil.Error:
        pass
    return total


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


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
    parser.add_argument("--port", type=int, default=8321)
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


def collectstatic(opts: Options) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        STATIC_ROOT=opts.static_root,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        KB_NO_BOOTSTRAP="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
    )


def popen(command: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen:
    """A server in a process group of its own (stop() ends its workers too)."""
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_servers(opts: Options, work: Path, start=popen) -> dict[str, subprocess.Popen]:
    """The simulator, then the shop (with the probe writing to work/probe.jsonl);
    `start(command, env=, log=)` starts one (the tests register theirs)."""
    processes: dict[str, subprocess.Popen] = {}
    try:
        for name, command, env in (
            ("simulator", simulator_command(), simulator_environment(opts)),
            ("shop", shop_command(), shop_environment(opts, str(work / "probe.jsonl"))),
        ):
            processes[name] = start(command, env=env, log=work / f"{name}.log")
        for name, port in (("simulator", opts.simulator_port), ("shop", opts.port)):
            wait_up(f"http://127.0.0.1:{port}/healthz", processes[name], work / f"{name}.log")
    except BaseException:
        for process in processes.values():
            stop(process)
        raise
    return processes


def sale_run(
    opts: Options, sale, processes: dict[str, subprocess.Popen], *, warm: int = 24
) -> dict:
    """Warm the shop up, send the crowd; the shoppers' figures and CPU."""
    import psutil

    asyncio.run(warm_up(opts, sale, opts.port, shoppers=warm))
    cpu0 = {name: cpu_seconds(p.pid) for name, p in processes.items()}
    machine0 = psutil.cpu_times()
    sent = asyncio.run(crowd(opts, sale.paths, sale.product_ids, opts.port))
    machine1 = psutil.cpu_times()
    wall = sent["wall_s"]
    cpu = {
        name: round((cpu_seconds(p.pid) - cpu0[name]) / wall, 3) for name, p in processes.items()
    }
    busy = (machine1.user + machine1.system) - (machine0.user + machine0.system)
    cpu["machine"] = round(busy / wall, 3)
    return {"shoppers": summarise(sent["trips"], sent), "cpu_cores": cpu}


def judge(sale, shoppers: dict, books, probe: dict) -> list[str]:
    """Every invariant the sale broke (empty: all hold)."""
    broken = list(books.problems)
    if books.units_sold != sale.total_units and shoppers["turned_away"]:
        broken.append(
            f"sold {books.units_sold} of {sale.total_units} while shoppers were turned away"
        )
    if books.orders_standing != shoppers["placed"]:
        broken.append(
            f"{books.orders_standing} orders stand, {shoppers['placed']} shoppers saw theirs placed"
        )
    if shoppers["errors"]:
        broken.append(f"{shoppers['errors']} shoppers met an error: {shoppers['error_details']}")
    if probe["charges_under_lock_or_transaction"]:
        broken.append(
            f"{probe['charges_under_lock_or_transaction']} charges made under a lock/transaction"
        )
    return broken


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
            f"gateway answers in {opts.gateway_delay:g} s"
            + (f"; CONTROL {opts.control}" if opts.control else ""),
            flush=True,
        )
        measured = sale_run(opts, sale, processes)
    finally:
        for process in processes.values():
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


def report(results: dict) -> str:
    s, b, p, c = results["shoppers"], results["books"], results["probe"], results["cpu_cores"]
    o = results["options"]
    ok = "✅" if not results["invariants_broken"] else "❌"
    placing = s["placing_ms"]
    lines = [
        f"Flash sale {results['run']}{' CONTROL ' + o['control'] if o['control'] else ''}: "
        f"{o['shoppers']} shoppers in {o['seconds']:g} s for {results['units_on_sale']} units, "
        f"QRIS through the simulator answering in {o['gateway_delay'] * 1000:.0f} ms.",
        f"- units sold (database): {b['units_sold']} of {results['units_on_sale']}; "
        f"stock left {b['stock_left']}",
        f"- orders placed: {s['placed']} (standing in the database {b['orders_standing']}, "
        f"called off {b['orders_called_off']}); charges at the gateway {b['charges_at_gateway']}",
        f"- turned away with the sold-out message: {s['turned_away']} {s['outcomes']}; "
        f"the last unit placed {s['last_placed_after_s']} s after the first arrival",
        f"- placing request (POST /checkout/), all {placing['n']}: p50 {placing[50]} ms, "
        f"p95 {placing[95]} ms, p99 {placing[99]} ms, max {placing['max']} ms "
        f"{'✅' if placing[99] is not None and placing[99] <= 1000 else '❌'} (target p99 <= 1 s)",
        f"- placing, placed ones only: p50 {s['placing_placed_ms'][50]} ms, "
        f"p99 {s['placing_placed_ms'][99]} ms; "
        f"whole journey from arrival: p50 {s['journey_ms'][50]} ms, p99 {s['journey_ms'][99]} ms",
        f"- errors: {s['errors']} {s['error_details'] or ''}",
        f"- gateway probe: {p['charges']} charges, "
        f"{p['charges_under_lock_or_transaction']} made under a "
        f"row lock or open transaction ({p['gateway_calls']} gateway calls in all)",
        f"- invariants {ok}: {results['invariants_broken'] or 'all hold'}",
        f"- CPU in cores of {os.cpu_count()}: load generator {s['loadgen_cpu']} "
        f"(max {s['loadgen_max_lag_ms']} ms behind schedule), shop gunicorn {c.get('shop')}, "
        f"simulator {c.get('simulator')}, whole machine {c.get('machine')}; load average "
        f"{results['load_average']}; Python speed {results['python_speed_ns']} ns",
    ]
    return "\n".join(lines)


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
