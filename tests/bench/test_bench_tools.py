"""The benchmark's own arithmetic: percentiles, the open-loop schedule, the
srcset choice at 390 px, the checkout form reader. No database, no timing
assertions on the site."""

import asyncio

from bench.forms import checkout_body, read_form
from bench.loadgen import HttpClient, fixed_rate, median_result, percentile
from bench.weight import choose_candidate, page_weight, slot_width

SRCSET = "/m/a-320.webp 320w, /m/a-640.webp 640w, /m/a-1280.webp 1280w"
MEDIA_SRCSET = SRCSET.replace("/m/", "/media/m/")


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile([7.0], 99) == 7.0


def test_a_390px_phone_at_dpr_2_picks_the_smallest_rendition_wide_enough():
    # Two cards per row: 195 px slot x 2 = 390 device px -> the 640 rendition.
    assert slot_width("(min-width: 48rem) 25vw, 50vw") == 195
    assert choose_candidate(SRCSET, "(min-width: 48rem) 25vw, 50vw").endswith("640.webp")
    # Full width: 780 device px -> 1280.
    assert choose_candidate(SRCSET, "100vw").endswith("1280.webp")
    # A small thumbnail: 80 px x 2 -> 320.
    assert choose_candidate(SRCSET, "80px").endswith("320.webp")


def test_page_weight_counts_lazy_images_apart(tmp_path):
    media = tmp_path / "media"
    (media / "m").mkdir(parents=True)
    for name, size in (("a-320.webp", 100), ("a-640.webp", 400), ("a-1280.webp", 1600)):
        (media / "m" / name).write_bytes(b"x" * size)
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.css").write_bytes(b"body{}" * 100)
    html = (
        '<link rel="stylesheet" href="/static/css/site.css">'
        f'<picture><source type="image/webp" srcset="{MEDIA_SRCSET}" '
        'sizes="50vw"><img src="/media/m/a-320.webp" alt=""></picture>'
        f'<picture><source type="image/webp" srcset="{MEDIA_SRCSET}" '
        'sizes="50vw"><img src="/media/m/a-320.webp" loading="lazy" alt=""></picture>'
    )
    weight = page_weight(
        html, static_url="/static/", static_root=static, media_url="/media/", media_root=media
    )
    assert weight.images_eager == 400
    assert weight.images_lazy == 400
    assert weight.css > 0 and weight.missing == []
    assert weight.total == weight.first_view + 400


def test_checkout_form_reader_fills_pickup_and_keeps_hidden_tokens():
    html = """
    <form method="post" action="/checkout/">
      <input type="hidden" name="csrfmiddlewaretoken" value="x">
      <input type="hidden" name="idempotency_key" value="key-123456789012345">
      <input type="hidden" name="cart_token" value="tok">
      <input name="c-name"><input name="c-phone">
      <select name="a-province">
        <option value="">—</option><option value="Bali">Bali</option>
      </select>
      <input type="radio" name="f7-delivery" value="courier">
      <input type="radio" name="f7-delivery" value="pickup">
      <input type="radio" name="f7-payment" value="bank_transfer">
      <input type="radio" name="f7-payment" value="pay_at_pickup">
      <button type="submit" name="action" value="place">Buat pesanan</button>
    </form>"""
    fields, radios = read_form(html, "/checkout/")
    assert fields["idempotency_key"] == "key-123456789012345"
    assert radios["f7-delivery"] == ["courier", "pickup"]
    body = checkout_body(html, name="Siti", phone="0812", csrf="abc").decode()
    assert "f7-delivery=pickup" in body and "f7-payment=pay_at_pickup" in body
    assert "cart_token=tok" in body and "csrfmiddlewaretoken=abc" in body
    assert "action=place" in body


def test_fixed_rate_sends_on_schedule_and_counts_errors():
    """A tiny local server that answers 200, then 500: the generator sends the
    planned number of requests and reports the 500s as errors."""

    async def scenario():
        served = []

        async def handle(reader, writer):
            while True:
                try:
                    await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    break
                served.append(1)
                status = "200 OK" if len(served) <= 10 else "500 Internal Server Error"
                writer.write(f"HTTP/1.1 {status}\r\nContent-Length: 2\r\n\r\nok".encode())
                await writer.drain()
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        client = HttpClient("127.0.0.1", port)
        result = await fixed_rate(client, [_get()], rate=100, duration=0.2)
        await client.close()
        server.close()
        await server.wait_closed()
        return result, len(served)

    result, served = asyncio.run(scenario())
    assert result.sent == served == 20
    assert result.errors == 10
    assert result.error_kinds == {"HTTP 500": 10}
    assert median_result([result, result, result]).errors == 30


def _get():
    from bench.loadgen import Request

    return Request("GET", "/")


def test_the_report_says_how_fast_the_machine_runs_python():
    import json

    from bench.config import RESULTS_DIR, python_speed_ns
    from bench.report import render_markdown

    speed = round(python_speed_ns())
    assert 10 < speed < 100_000  # ns for sum(range(50)): any real machine
    results = json.loads((RESULTS_DIR / "latest.json").read_text())
    results["machine"]["python_ns"] = speed
    header = render_markdown(results).splitlines()[0]
    assert f"Python speed: `sum(range(50))` {speed} ns" in header
    # Results written before the figure existed still render.
    del results["machine"]["python_ns"]
    assert "Python speed" not in render_markdown(results).splitlines()[0]


def test_warm_build_cost_is_each_urls_fastest_build(db, monkeypatch, settings):
    """Contention only adds CPU time, so the warm figure takes each URL's
    fastest of its warm builds (the single first pass is kept beside it)."""
    from types import SimpleNamespace

    from bench import buildcost
    from tests.factories import ProductFactory

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    urls = [ProductFactory().get_absolute_url() for _ in range(2)]
    # CPU seconds of each timed build: the cold pass, then three warm passes.
    durations = iter([0.009, 0.009, 0.005, 0.001, 0.002, 0.006, 0.004, 0.003])
    clock = {"now": 0.0, "started": False}

    def process_time():
        if clock["started"]:
            clock["now"] += next(durations)
        clock["started"] = not clock["started"]
        return clock["now"]

    monkeypatch.setattr(buildcost, "time", SimpleNamespace(process_time=process_time))
    result = buildcost.build_cost({"product": urls}, pages=2)["product"]
    assert result["cold"]["statuses"] == [200]
    assert result["warm"]["median_ms"] == 1.5  # fastest builds: 2 ms and 1 ms
    assert result["warm"]["first_pass"]["median_ms"] == 3.0  # 5 ms and 1 ms
