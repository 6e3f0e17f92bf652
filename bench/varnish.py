"""varnishd in front of one gunicorn, as the benches run the edge
(bench/edge.py, bench/flashsale.py): a one-backend VCL that includes
deploy/varnish/cache.vcl (what is cached, its key, tags and purges), so the
bench's edge caches exactly what production's does."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bench.config import BASE_DIR

VARNISHD = "/usr/sbin/varnishd"
VARNISHSTAT = "/usr/bin/varnishstat"
DEFAULT_VCL = """vcl 4.1;
import std;
backend app {{
    .host = "127.0.0.1";
    .port = "{port}";
    .first_byte_timeout = 30s;
}}
sub vcl_recv {{
    set req.grace = 10s;
}}
include "cache.vcl";
"""
# The counters a run reads (varnishstat -1): requests answered from the
# cache, fetched for the cache, and passed to the app.
COUNTERS = ("MAIN.client_req", "MAIN.cache_hit", "MAIN.cache_miss", "MAIN.s_pass")


def command(folder: Path, *, app_port: int, edge_port: int) -> list[str]:
    """varnishd in the foreground (stopping it stops its child), its working
    directory folder/varnish (varnishstat -n reads it), the VCL written
    into folder."""
    vcl = folder / "bench.vcl"
    vcl.write_text(DEFAULT_VCL.format(port=app_port))
    args = [VARNISHD, "-F", "-j", "none", "-n", str(workdir(folder))]
    args += ["-a", f"127.0.0.1:{edge_port}", "-f", str(vcl), "-T", "none"]
    args += ["-p", f"vcl_path={folder}:{BASE_DIR / 'deploy' / 'varnish'}"]
    args += ["-s", "malloc,256m", "-p", "thread_pool_min=50"]
    # As deploy/shape.py: idle backend connections closed before gunicorn's
    # keepalive (5 s) closes them, or a POST sent on one just closed is a 503.
    args += ["-p", "backend_idle_timeout=3"]
    return args


def start(folder: Path, *, app_port: int, edge_port: int) -> subprocess.Popen:
    """varnishd as a child of this process, output to folder/varnishd.log."""
    with (folder / "varnishd.log").open("wb") as log:
        return subprocess.Popen(
            command(folder, app_port=app_port, edge_port=edge_port),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def workdir(folder: Path) -> Path:
    return folder / "varnish"


def workdir_of(process: subprocess.Popen) -> Path:
    """The -n of a varnishd started with `command`."""
    args = list(process.args)
    return Path(args[args.index("-n") + 1])


def counters(name: Path) -> dict[str, int]:
    """COUNTERS of the varnishd whose working directory is `name`."""
    out = subprocess.run(
        [VARNISHSTAT, "-n", str(name), "-1", "-j"],
        capture_output=True,
        check=True,
        timeout=20,
    ).stdout
    data = json.loads(out)
    data = data.get("counters", data)  # varnish 6.5+ nests them
    return {k: int(data[k]["value"]) for k in COUNTERS if k in data}
