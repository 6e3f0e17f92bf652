"""The flash sale's figures and verdict (bench/flashsale.py): the shoppers'
outcomes and latencies, the gateway probe's log, the invariants, the text."""

from __future__ import annotations

import json
import os
from pathlib import Path

from bench.loadgen import percentile


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
    # Who was turned away from which product (the index into the sale's
    # products): judge holds each against that product's stock left.
    products = max((t.product for t in trips), default=-1) + 1
    turned_away_by_product = [0] * products
    for t in trips:
        if t.outcome in SOLD_OUT and t.product >= 0:
            turned_away_by_product[t.product] += 1
    edge: dict[str, int] = {}
    for t in trips:
        if t.edge:
            edge[t.edge] = edge.get(t.edge, 0) + 1
    held = [t for t in trips if t.waiting_ms is not None]
    # The slowest placings with when they were answered (seconds from the
    # first arrival): a slow one in the first seconds is the crowd's burst,
    # a late one the waiting room's pace.
    slowest = sorted(
        (t for t in trips if t.place_ms is not None and t.placed_at is not None),
        key=lambda t: -t.place_ms,
    )[:5]
    return {
        "slowest_placings": [
            {"ms": round(t.place_ms), "answered_at_s": round(t.placed_at - sent["start"], 2)}
            for t in slowest
        ],
        "outcomes": outcomes,
        # When the last unit went, from the first shopper's arrival: the
        # window in which later shoppers could still be offered a unit.
        "last_placed_after_s": round(max(placed_at), 2) if placed_at else None,
        "placed": outcomes.get(PLACED, 0),
        "turned_away": sum(outcomes.get(k, 0) for k in SOLD_OUT),
        "turned_away_by_product": turned_away_by_product,
        "errors": len(errors),
        "error_details": dict(sorted(details.items(), key=lambda kv: -kv[1])[:10]),
        "placing_ms": pct(placing),
        "placing_placed_ms": pct(placed),
        "journey_ms": pct([t.journey_ms for t in trips]),
        "steps_ms": {k: pct(v) for k, v in steps.items()},
        # The checkout's waiting room: those held in it, their time there
        # (first GET /checkout/ to the one that gave the form) and polls.
        "waiting_room": {
            "held": len(held),
            "waiting_ms": pct([t.waiting_ms for t in held]),
            "polls_max": max((t.polls for t in held), default=0),
            "polls_total": sum(t.polls for t in held),
        },
        # The product page as each shopper got it at the edge (X-Edge-Cache):
        # hit = answered by Varnish; miss and pass reached gunicorn.
        "product_page_edge": edge,
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
    placing = [c for c in calls if c["call"] == "place request"]
    calls = [c for c in calls if c["call"] != "place request"]  # the gateway's
    charges = [c for c in calls if c["call"] == "charge"]
    locked = [c for c in charges if c["row_locks"] or c["in_atomic"] or c["pg_in_transaction"]]

    def pct(values, p):
        return round(percentile(values, p) * 1000, 1) if values else None

    return {
        # The placing request inside the app: wall time, and the CPU its
        # thread used (the rest is waiting: the database, the gateway, the GIL).
        "place_in_app_ms": {p: pct([c["seconds"] for c in placing], p) for p in (50, 95, 99)},
        "place_thread_cpu_ms": {
            p: pct([c["thread_cpu_seconds"] for c in placing], p) for p in (50, 95, 99)
        },
        "gateway_calls": len(calls),
        "charges": len(charges),
        "charges_under_lock_or_transaction": len(locked),
        "charges_with_row_locks": sum(1 for c in charges if c["row_locks"]),
        "charge_seconds_p50": round(percentile([c["seconds"] for c in charges], 50), 3)
        if charges
        else None,
    }


def judge(sale, shoppers: dict, books, probe: dict) -> list[str]:
    """Every invariant the sale broke (empty: all hold)."""
    broken = list(books.problems)
    # Per product: a shopper told "sold out" while that product still had
    # stock at the end was refused a unit that was there. A product nobody
    # picked (or whose every shopper got one) may keep its stock.
    refused = shoppers.get("turned_away_by_product", [])
    for k, left in enumerate(books.stock_left):
        away = refused[k] if k < len(refused) else 0
        if left > 0 and away:
            broken.append(
                f"product {sale.product_ids[k]}: {left} of {sale.start_stock[k]} left "
                f"while {away} of its shoppers were turned away"
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


def report(results: dict) -> str:
    s, b, p, c = results["shoppers"], results["books"], results["probe"], results["cpu_cores"]
    o = results["options"]
    ok = "✅" if not results["invariants_broken"] else "❌"
    placing = s["placing_ms"]
    w = s["waiting_room"]
    edge = results.get("edge_counters") or {}
    pages = s["product_page_edge"]
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
        (
            f"- checkout waiting room: {w['held']} shoppers held, "
            f"p50 {w['waiting_ms'][50]} ms, p99 {w['waiting_ms'][99]} ms, "
            f"max {w['waiting_ms']['max']} ms; polls {w['polls_total']} in all, "
            f"at most {w['polls_max']} for one shopper"
            if w["held"]
            else "- checkout waiting room: nobody held (every GET /checkout/ gave the form)"
        ),
        f"- errors: {s['errors']} {s['error_details'] or ''}",
        _in_app_line(p),
        f"- gateway probe: {p['charges']} charges, "
        f"{p['charges_under_lock_or_transaction']} made under a "
        f"row lock or open transaction ({p['gateway_calls']} gateway calls in all)",
        (
            f"- the edge (Varnish) during the crowd: product pages {pages.get('hit', 0)} "
            f"answered by Varnish, {pages.get('miss', 0) + pages.get('pass', 0)} reached "
            f"gunicorn (miss {pages.get('miss', 0)}, pass {pages.get('pass', 0)}); "
            f"varnishstat: {edge.get('MAIN.client_req')} requests, "
            f"cache_hit {edge.get('MAIN.cache_hit')}, cache_miss {edge.get('MAIN.cache_miss')}, "
            f"pass {edge.get('MAIN.s_pass')}"
            if o.get("edge")
            else "- no edge (--no-edge): every request straight at gunicorn"
        ),
        f"- invariants {ok}: {results['invariants_broken'] or 'all hold'}",
        f"- CPU in cores of {os.cpu_count()}: load generator {s['loadgen_cpu']} "
        f"(max {s['loadgen_max_lag_ms']} ms behind schedule), shop gunicorn {c.get('shop')}, "
        f"varnishd {c.get('varnish', '(no edge)')}, "
        f"simulator {c.get('simulator')}, "
        f"PostgreSQL for this database at least {c.get('postgres_at_least')}, "
        f"whole machine {c.get('machine')}; load average "
        f"{results['load_average']}; Python speed {results['python_speed_ns']} ns",
    ]
    return "\n".join(lines)


def _in_app_line(probe: dict) -> str:
    """The placing request inside the app (the probe's timing): the rest of
    the shopper's placing time is spent before the app (the edge, gunicorn's
    queue for a worker thread)."""
    wall = {str(k): v for k, v in (probe.get("place_in_app_ms") or {}).items()}
    cpu = {str(k): v for k, v in (probe.get("place_thread_cpu_ms") or {}).items()}
    if not wall or wall.get("50") is None:
        return "- placing inside the app: not measured"
    return (
        f"- placing inside the app: p50 {wall['50']} ms, p95 {wall['95']} ms, p99 {wall['99']} ms; "
        f"its thread's CPU p50 {cpu['50']} ms, p99 {cpu['99']} ms"
    )
