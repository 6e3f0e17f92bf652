"""The benchmark's results as Markdown tables, each figure beside its target."""

from __future__ import annotations

LABELS = {
    "home": "home `/`",
    "catalog": "catalog, two filters",
    "search_common": "search, common word",
    "search_rare": "search, rare word",
    "product": "product page",
    "storefront": "facility storefront",
    "catalog_uncached": "catalog, two filters, built (not in the page cache)",
    "search_common_uncached": "search, common word, built (not in the page cache)",
    "product_uncached": "product page, built (not in the page cache)",
    "add_to_cart": "add to cart (POST)",
    "checkout": "checkout (POST)",
}
# (p99 limit at the fixed rate, sustained-rate floor) from the targets.
TARGETS = {
    "catalog": (100, 200),
    "storefront": (100, 200),
    "product": (100, 200),
    "search_common": (150, None),
    "search_rare": (150, None),
    "checkout": (500, 30),
}


def _mark(ok: bool | None) -> str:
    return "" if ok is None else (" ✅" if ok else " ❌")


def _share(fixed: dict) -> str:
    hits = fixed.get("cache_hits", 0)
    return f"{100 * hits / fixed['sent']:.0f}%" if fixed["sent"] else "–"


def _kb(n: int) -> str:
    return f"{n / 1024:.0f} KB"


def render_markdown(r: dict) -> str:
    load = r["load"]
    machine = r["machine"]
    g = machine["gunicorn"]
    lines = [
        f"Run {r['when']} on {machine['cpus']} cores (app, PostgreSQL and load generator "
        f"together; load generator pinned to CPU {machine['loadgen_cpus']}, gunicorn on "
        f"{machine['server_cpus']}), gunicorn {g['worker_class']} {g['workers']} workers x "
        f"{g['threads']} threads, CONN_MAX_AGE {machine['conn_max_age']}, "
        f"CACHE_URL {machine.get('cache', 'locmemcache://')}. "
        f"Data: {r['data'].get('public_products', 0):,} public products, "
        f"{r['data'].get('facilities', 0)} facilities, {r['data'].get('orders', 0):,} orders. "
        f"Whole run {r['seconds']:.0f} s."
        + (
            f" Python speed: `sum(range(50))` {machine['python_ns']} ns (bench.config)."
            if machine.get("python_ns")
            else ""
        ),
        "",
        "| request | queries | rate | p50 ms | p90 ms | p99 ms | errors | from page cache "
        "| max rate, p99 < 300 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, label in LABELS.items():
        fixed = load["fixed"].get(name)
        if not fixed:
            continue
        queries = r["queries"].get(name, {})
        q = str(queries.get("queries", "–"))
        per_page = queries.get("per_page")
        if per_page:
            same = per_page["12"] == per_page["48"]
            q += f" (12/48 items: {per_page['12']}/{per_page['48']}{_mark(same)})"
        limit, floor = TARGETS.get(name, (None, None))
        p99_ok = None if limit is None else fixed["p99_ms"] < limit
        best = load["max_rate"].get(name, {}).get("max_rate")
        best_text = "–" if best is None else f"{best:.0f}/s"
        if best is not None and floor:
            best_text += _mark(best >= floor)
        if name == "checkout":
            best_text += " (p99 < 500 ms)"
        lines.append(
            f"| {label} | {q} | {fixed['rate']:.0f}/s | {fixed['p50_ms']:.1f} | "
            f"{fixed['p90_ms']:.1f} | {fixed['p99_ms']:.1f}{_mark(p99_ok)} | "
            f"{fixed['errors']}/{fixed['sent']} | {_share(fixed)} | {best_text} |"
        )
    lgen = max((f["loadgen_cpu"] for f in load["fixed"].values()), default=0)
    lag = max((f["max_lag_ms"] for f in load["fixed"].values()), default=0)
    cpu_rows = [
        f"{name} {f['server_cpu_cores']:.2f}/{f.get('machine_cpu_cores', 0):.2f}"
        for name, f in load["fixed"].items()
    ]
    lines += [
        "",
        f"Load generator: at most {lgen:.2f} of a core, sending at most {lag:.1f} ms behind "
        "schedule (latency counts from the scheduled time). CPU at the fixed rates, "
        "gunicorn / whole machine, in cores of 2 (the rest is PostgreSQL and anything "
        f"else running): {', '.join(cpu_rows)}.",
        "",
        "| database (EXPLAIN ANALYZE, median of runs) | product queries | total ms "
        "| slowest ms | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    explain_targets = {"search_rare": 20, "search_common": 80, "catalog": None}
    for name, e in r["explain"].items():
        target = explain_targets.get(name)
        mark = "" if target is None else f"< {target} ms{_mark(e['total_ms'] < target)}"
        lines.append(
            f"| {LABELS[name]} | {e['queries']} | {e['total_ms']:.1f} | "
            f"{e['slowest_ms']:.1f} | {mark} |"
        )
    c = load.get("contention")
    if c:
        lines += [
            "",
            f"Checkout under contention: {c['buyers']} buyers at once, {c['stock']} in stock: "
            f"sold {[run['sold'] for run in c['runs']]} in {len(c['runs'])} runs, "
            f"errors {c['errors']}, stock left {[run['stock_after'] for run in c['runs']]}"
            f"{_mark(c['exact'])}; answers {c['runs'][0]['statuses']}.",
        ]
    lines += [
        "",
        "| page weight, 390 px phone, DPR 2 | HTML (gzip) | CSS | JS | images "
        "| first view | with every image |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, w in r["weight"].items():
        mark = _mark(w["total"] < 500 * 1024) if name == "catalog" else ""
        lines.append(
            f"| {name} `{w['path']}` | {_kb(w['html'])} | {_kb(w['css'])} | {_kb(w['js'])} | "
            f"{w['images']} ({_kb(w['images_eager'] + w['images_lazy'])}) | "
            f"{_kb(w['first_view'])} | "
            f"{_kb(w['total'])}{mark} |"
        )
    lines += _longtail_lines(r)
    rss = r["worker_rss_mb"]
    lines += [
        "",
        f"Memory after the load: gunicorn workers {', '.join(f'{m:.0f}' for m in rss)} MB resident"
        f"{_mark(bool(rss) and max(rss) < 200)}; the bench process {r['bench_rss_mb']:.0f} MB.",
    ]
    return "\n".join(lines) + "\n"


# Python per built page, from the targets.
BUILD_TARGETS_MS = {"product": 5.0, "catalog": 10.0}


def _longtail_lines(r: dict) -> list[str]:
    lines: list[str] = []
    build = r.get("build_cost") or {}
    if build:
        lines += [
            "",
            "| Python time per built page (process_time, page cache off) | pages "
            "| cold: median / mean ms | warm cards, each URL's fastest of 3: median / mean ms "
            "| target |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for name, b in build.items():
            target = BUILD_TARGETS_MS.get(name)
            mark = (
                "" if target is None else f"<= {target:g} ms{_mark(b['warm']['mean_ms'] <= target)}"
            )
            lines.append(
                f"| {name}, Zipf mix | {b['cold']['pages']} | {b['cold']['median_ms']:.1f} / "
                f"{b['cold']['mean_ms']:.1f} | {b['warm']['median_ms']:.1f} / "
                f"{b['warm']['mean_ms']:.1f} | {mark} |"
            )
    rows = r["load"].get("longtail") or []
    if rows:
        lines += [
            "",
            "| long tail (Zipf s=1.0) | URLs | staff saves/s | rate | p50 ms | p99 ms | errors "
            "| from page cache | gunicorn cores | load average |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        for row in rows:
            lines.append(
                f"| {row['mix']} | {row['urls']:,} | {row['saves_per_second']:g} | "
                f"{row['rate']:.0f}/s | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
                f"{row['errors']}/{row['sent']} | {100 * row['cache_share']:.0f}% | "
                f"{row['server_cpu_cores']:.2f} | {', '.join(map(str, row['load_average']))} |"
            )
    return lines


START = "<!-- bench:start (written by python -m bench --update-readme) -->"
END = "<!-- bench:end -->"


def update_readme(path, markdown: str) -> None:
    """Replace the text between the Benchmark section's markers with `markdown`."""
    text = path.read_text()
    if START not in text or END not in text:
        raise SystemExit(f"{path}: no {START} ... {END} markers to write between")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(f"{head}{START}\n{markdown.strip()}\n{END}{tail}")
