"""Long-tail load runs: a Zipf mix of URLs at a fixed rate after a warm-up,
with or without staff saving products meanwhile."""

from __future__ import annotations

import asyncio
import os

from bench.load import Load
from bench.longtail import LongTail, StaffSaves


async def longtail_run(
    load: Load,
    mix: LongTail,
    *,
    rate: float,
    seconds: float,
    warm_rate: float,
    warm_seconds: float,
    saves_per_second: float = 0.0,
) -> dict:
    """Empty cache, `warm_seconds` of the mix at `warm_rate` (not measured),
    then `seconds` at `rate`: rate, p50, p99, errors, share from the page cache.
    The draw restarts from its seed, so runs with and without staff saves
    ask for the same URLs in the same order."""
    from django.core.cache import cache

    from bench.loadgen import Request, fixed_rate

    mix = LongTail.of(mix.name, mix.paths)
    await asyncio.to_thread(cache.clear)
    saver = StaffSaves(saves_per_second) if saves_per_second else None
    if saver:
        await asyncio.to_thread(saver.start)
    try:
        client = load.client()
        warm = [Request("GET", p) for p in mix.take(int(warm_rate * warm_seconds) + 1)]
        await fixed_rate(client, warm, rate=warm_rate, duration=warm_seconds)
        await client.close()
        await load.settle(limit=10)
        requests = [Request("GET", p) for p in mix.take(int(rate * seconds) + 1)]
        client = load.client()
        cpu0 = load.server.cpu_seconds()
        result = await fixed_rate(
            client, requests, rate=rate, duration=seconds, ok=lambda r: r.status == 200
        )
        server_cpu = (load.server.cpu_seconds() - cpu0) / seconds
        await client.close()
    finally:
        saved = saver.stop() if saver else None
    share = result.cache_hits / result.sent if result.sent else 0.0
    row = {
        "mix": mix.name,
        "urls": len(mix.paths),
        "rate": rate,
        "throughput": round(result.throughput, 1),
        "sent": result.sent,
        "p50_ms": round(result.p50_ms, 1),
        "p99_ms": round(result.p99_ms, 1),
        "errors": result.errors,
        "cache_share": round(share, 3),
        "server_cpu_cores": round(server_cpu, 2),
        "saves_per_second": saves_per_second,
        "staff_saves": saved,
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    load.say(
        f"  {mix.name:<8} {rate:>4.0f}/s{' + saves' if saver else '':8} p50 {row['p50_ms']:7.1f} "
        f"p99 {row['p99_ms']:7.1f} ms  errors {result.errors}/{result.sent}  "
        f"from cache {share:.0%}  gunicorn {server_cpu:.2f} cores  load {row['load_average']}"
    )
    return row


async def longtail_phase(load: Load, mixes: dict[str, LongTail], config) -> list[dict]:
    rows = []
    for name, mix in mixes.items():
        for rate in config.longtail_rates[name]:
            for saves in (0.0, config.staff_saves):
                rows.append(
                    await longtail_run(
                        load,
                        mix,
                        rate=rate,
                        seconds=config.longtail_seconds,
                        warm_rate=config.longtail_warm_rate[name],
                        warm_seconds=config.longtail_warm_seconds,
                        saves_per_second=saves,
                    )
                )
    return rows
