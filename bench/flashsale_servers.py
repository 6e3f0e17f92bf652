"""The flash sale's servers (bench/flashsale.py): the shop as production
runs it (marketplace/gunicorn_conf.py, the production settings, through
bench/probed_wsgi.py), the gateway simulator as a gunicorn of its own, and,
with the edge (the default), varnishd in front of the shop as production has
it (bench/varnish.py: deploy/varnish/cache.vcl), purged by the shop."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from bench import varnish
from bench.config import BASE_DIR

if TYPE_CHECKING:
    from bench.flashsale import Options

GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
GUNICORN_CONF = BASE_DIR / "marketplace" / "gunicorn_conf.py"
SIMULATOR_KEY = "SB-Mid-server-LOCAL-SIMULATOR"  # marketplace/settings_outside.py


def front_port(opts: Options) -> int:
    """Where shoppers go: the edge, or (--no-edge) gunicorn itself."""
    return opts.edge_port if opts.edge else opts.port


def shop_environment(opts: Options, probe_log: str) -> dict[str, str]:
    """The production settings and gunicorn configuration, online payment
    through the simulator's address with the simulator's key (DEBUG off
    without a key offers no online payment at all). With the edge, the shop
    purges a changed page's tags there (a sold-out product's page goes).

    The client's address: shoppers write theirs in X-Forwarded-For as the
    TLS proxy in front of the edge does; Varnish appends its own peer
    (127.0.0.1) and connects from 127.0.0.1, which the production settings'
    TRUSTED_PROXIES default trusts, so core.security.client_ip walks past it
    to the shopper's address, one per shopper, with or without the edge."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings_production",
        DEBUG="0",
        SECRET_KEY="flashsale-" + secrets.token_urlsafe(40),
        DATABASE_URL=opts.database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        GUNICORN_BIND=f"127.0.0.1:{opts.port}",
        SITE_URL=f"https://127.0.0.1:{front_port(opts)}",
        STATIC_ROOT=opts.static_root,
        MIDTRANS_SERVER_KEY=SIMULATOR_KEY,
        MIDTRANS_BASE_URL=f"http://127.0.0.1:{opts.simulator_port}/_simulator/midtrans",
        FLASHSALE_PROBE_LOG=probe_log,
        CHECKOUT_ADMISSIONS_PER_SECOND=str(opts.admissions_per_second),
    )
    env.pop("CACHE_URL", None)
    if opts.cache_url:
        env["CACHE_URL"] = opts.cache_url
    if opts.edge:
        env["EDGE_PURGE_URLS"] = f"http://127.0.0.1:{opts.edge_port}/"
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
            raise SystemExit(f"{process.args[0]} exited:\n{log.read_text()[-3000:]}")
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


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
    """The simulator, then the shop (with the probe writing to work/probe.jsonl),
    then with the edge varnishd in front of the shop (its stats: -n
    work/varnish); `start(command, env=, log=)` starts one (the tests
    register theirs). Stopped in reverse: the edge, the shop, the gateway."""
    processes: dict[str, subprocess.Popen] = {}
    servers = [
        ("simulator", simulator_command(), simulator_environment(opts), opts.simulator_port),
        ("shop", shop_command(), shop_environment(opts, str(work / "probe.jsonl")), opts.port),
    ]
    if opts.edge:
        edge = varnish.command(work, app_port=opts.port, edge_port=opts.edge_port)
        servers.append(("varnish", edge, dict(os.environ), opts.edge_port))
    try:
        for name, command, env, _port in servers:
            processes[name] = start(command, env=env, log=work / f"{name}.log")
        for name, _command, _env, port in servers:
            wait_up(f"http://127.0.0.1:{port}/healthz", processes[name], work / f"{name}.log")
    except BaseException:
        for process in reversed(processes.values()):
            stop(process)
        raise
    return processes
