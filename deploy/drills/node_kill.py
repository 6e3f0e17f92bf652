#!/usr/bin/env python3
"""Drill: kill one app node under load; Varnish serves the rest.

    python3 deploy/drills/node_kill.py [--state .shape] [--seconds 12] [--concurrency 8]

Shoppers browse through Varnish while app1's gunicorn (master and workers) is
killed with SIGKILL: no graceful shutdown, the way a machine dies. Only the
requests app1 was serving at that moment may fail (Varnish retries a GET on
the other node, so usually none does); every later request is answered by
app2. app1 is started again at the end and rejoins once its probe passes.
Prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import shape  # noqa: E402

from drills.load import Load, summary  # noqa: E402

PATHS = ["/", "/produk/", "/upt/", "/produk/?sort=murah", "/produk/?page=2", "/lacak/"]


def run(
    current: shape.Shape,
    *,
    seconds: float = 12,
    kill_at: float = 4,
    concurrency: int = 8,
    paths: list[str] | None = None,
    restart: bool = True,
) -> dict:
    load = Load("127.0.0.1", current.ports.varnish, paths or PATHS, concurrency=concurrency)
    load.start()
    time.sleep(kill_at)
    killed_at = time.monotonic() - load.t0
    current.kill("app1", signal.SIGKILL, wait=10)
    time.sleep(max(0.0, seconds - kill_at))
    results = load.stop()
    before = [r for r in results if r.started + r.seconds < killed_at]
    after = [r for r in results if r.started > killed_at + 0.05]
    # In flight: asked before the kill, answered after it.
    in_flight = [r for r in results if r.started <= killed_at < r.started + r.seconds]
    failed_after = [r for r in after if not 200 <= r.status < 400]
    figures = {
        "drill": "node_kill",
        "killed_at_s": round(killed_at, 2),
        "concurrency": concurrency,
        "all": summary(results),
        "before_kill": summary(before),
        "in_flight_at_kill": len(in_flight),
        "in_flight_failed": sum(1 for r in in_flight if not 200 <= r.status < 400),
        "after_kill": summary(after),
        "failed_after_kill": len(failed_after),
        "first_failure_after_kill_s": (
            round(min(r.started for r in failed_after) - killed_at, 2) if failed_after else None
        ),
    }
    if restart:
        started = time.monotonic()
        current.start_app_node("app1", current.ports.app1)
        figures["app1_restart_s"] = round(time.monotonic() - started, 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state", type=Path, default=shape.ROOT / ".shape")
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    figures = run(shape.Shape.load(args.state), seconds=args.seconds, concurrency=args.concurrency)
    print(json.dumps(figures, indent=2))
    return 0 if figures["failed_after_kill"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
