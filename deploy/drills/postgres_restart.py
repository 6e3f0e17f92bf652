#!/usr/bin/env python3
"""Drill: PostgreSQL's primary restarts while shoppers browse; nothing is lost.

    python3 deploy/drills/postgres_restart.py [--state .shape] [--seconds 14]

An order is placed through the checkout service; then, under load through
Varnish, the primary is restarted (`pg_ctl restart -m fast`). The app nodes
are never restarted: their kept connections die with the server and
CONN_HEALTH_CHECKS replaces them before use. Figures: requests that failed
while the primary was down (pages Varnish could not serve from its cache),
seconds from the restart until every request succeeds again, that the order
is still there on the primary and on the replica (which reconnects and
streams again), and that a new order can be placed afterwards.
Prints the figures as JSON; exit 1 when anything was lost or did not recover.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import shape  # noqa: E402

from drills.load import Load, summary  # noqa: E402
from drills.replica_pause import drill_env  # noqa: E402

# What anonymous shoppers browse: catalog pages, read from the replica.
PATHS = ["/", "/produk/", "/upt/", "/lacak/"]

PLACE_ORDER = """
import uuid
import sys
sys.path.insert(0, "deploy")
from drills.replica_pause import fresh_sequences
from tests.factories import ProductFactory, place, shop
fresh_sequences()
facility = shop(name="Lapas Drill Restart " + uuid.uuid4().hex[:6])
product = ProductFactory(facility=facility, stock=10, price=30_000)
order = place([(product, 1)]).orders[0]
print("ORDER", order.pk, order.code)
"""


def place_order(current: shape.Shape) -> tuple[int, str]:
    out = current.manage("shell", "-c", PLACE_ORDER, env=drill_env(current), timeout=120)
    line = next(line for line in out.splitlines() if line.startswith("ORDER "))
    _, pk, code = line.split()
    return int(pk), code


def run(
    current: shape.Shape, *, seconds: float = 14, restart_at: float = 3, concurrency: int = 6
) -> dict:
    pk, code = place_order(current)
    load = Load("127.0.0.1", current.ports.varnish, PATHS, concurrency=concurrency).start()
    time.sleep(restart_at)
    began = time.monotonic() - load.t0
    current.primary.stop("fast")
    down_at = time.monotonic() - load.t0
    current.primary.start()
    up_at = time.monotonic() - load.t0
    time.sleep(max(0.0, seconds - (time.monotonic() - load.t0)))
    results = load.stop()
    failed = [r for r in results if not 200 <= r.status < 400]
    last_failure = max((r.started + r.seconds for r in failed), default=None)
    after = [r for r in results if r.started > (last_failure or up_at)]
    figures = {
        "drill": "postgres_restart",
        "restart_began_s": round(began, 2),
        "primary_down_s": round(up_at - down_at, 2),
        "primary_back_s": round(up_at, 2),
        "all": summary(results),
        "failed_during_restart": len(failed),
        "recovered_after_restart_s": round((last_failure or up_at) - up_at, 2),
        "requests_after_recovery": summary(after),
    }
    figures["order_on_primary"] = (
        current.primary.psql(
            f"SELECT count(*) FROM orders_order WHERE id = {pk} AND code = '{code}'"
        )
        == "1"
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        streaming = current.replica.psql("SELECT status FROM pg_stat_wal_receiver", "postgres")
        on_replica = current.replica.psql(f"SELECT count(*) FROM orders_order WHERE id = {pk}")
        if streaming == "streaming" and on_replica == "1":
            break
        time.sleep(0.2)
    figures["replica_streaming_again"] = streaming == "streaming"
    figures["order_on_replica"] = on_replica == "1"
    figures["new_order_after_restart"] = place_order(current)[0] > pk
    figures["nodes_healthy"] = all(
        shape.http_status(f"http://127.0.0.1:{port}/healthz") == 200
        for port in (current.ports.app1, current.ports.app2)
    )
    return figures


def passed(figures: dict) -> bool:
    return (
        figures["order_on_primary"]
        and figures["order_on_replica"]
        and figures["new_order_after_restart"]
        and figures["nodes_healthy"]
        and figures["requests_after_recovery"]["failed"] == 0
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state", type=Path, default=shape.ROOT / ".shape")
    parser.add_argument("--seconds", type=float, default=14)
    args = parser.parse_args()
    figures = run(shape.Shape.load(args.state), seconds=args.seconds)
    print(json.dumps(figures, indent=2))
    return 0 if passed(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
