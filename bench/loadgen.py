"""An open-loop HTTP load generator: requests leave on a fixed schedule.

Request i is due at start + i / rate, whether or not earlier ones have been
answered, and its latency is measured from that due time, not from when a
connection happened to be free. A closed-loop tool (a fixed number of users
each waiting for its answer) sends less when the server slows, and so hides
exactly the slow responses a shopper sees ("coordinated omission").

asyncio and plain HTTP/1.1 keep-alive over the loopback; no dependencies.
Debian has no vegeta (checked with apt-cache policy); wrk is closed-loop.
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Request:
    method: str = "GET"
    path: str = "/"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes


@dataclass
class Outcome:
    latency: float  # seconds from the due time to the last byte of the answer
    status: int  # 0 when no answer (connection error or timeout)
    nbytes: int = 0
    error: str = ""
    location: str = ""
    cache_hit: bool = False  # answered from the page cache (X-Page-Cache: hit or stale)


class HttpClient:
    """A pool of keep-alive connections to one host; at most `max_connections`
    requests in flight (the rest queue, and their wait counts as latency)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        max_connections: int = 256,
        timeout: float = 10.0,
        default_headers: dict[str, str] | None = None,
    ):
        self.host, self.port = host, port
        self.timeout = timeout
        self.default_headers = default_headers or {}
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(max_connections)
        self.opened = 0

    async def close(self) -> None:
        for _reader, writer in self._idle:
            writer.close()
        self._idle.clear()

    async def request(self, req: Request) -> Response:
        async with self._slots:
            return await asyncio.wait_for(self._exchange(req), self.timeout)

    async def _exchange(self, req: Request) -> Response:
        # A kept-alive connection the server closed meanwhile fails on first
        # use; retry once on a fresh one (only then, so errors stay errors).
        for attempt in (0, 1):
            fresh = not self._idle or attempt == 1
            if fresh:
                reader, writer = await asyncio.open_connection(self.host, self.port)
                self.opened += 1
            else:
                reader, writer = self._idle.pop()
            try:
                writer.write(self._encode(req))
                response, keep = await _read_response(reader)
            except (ConnectionError, asyncio.IncompleteReadError) as exc:
                writer.close()
                if fresh:
                    raise ConnectionError(str(exc) or type(exc).__name__) from exc
                continue
            except BaseException:
                writer.close()
                raise
            if keep:
                self._idle.append((reader, writer))
            else:
                writer.close()
            return response
        raise ConnectionError("unreachable")

    def _encode(self, req: Request) -> bytes:
        headers = {"Host": f"{self.host}:{self.port}", **self.default_headers, **req.headers}
        if req.body or req.method == "POST":
            headers["Content-Length"] = str(len(req.body))
        lines = [f"{req.method} {req.path} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + req.body


async def _read_response(reader: asyncio.StreamReader) -> tuple[Response, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    cookies: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            cookies[key.strip()] = val.strip()
        headers[name] = value
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            parts.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(parts)
    elif status in (204, 304) or 100 <= status < 200:
        body = b""
    else:
        body = await reader.read()
        return Response(status, headers, cookies, body), False
    keep = headers.get("connection", "").lower() != "close"
    return Response(status, headers, cookies, body), keep


async def fixed_rate(
    client: HttpClient,
    make_request: Callable[[int], Request] | Sequence[Request],
    *,
    rate: float,
    duration: float,
    ok: Callable[[Response], bool] = lambda r: r.status < 400,
) -> RunResult:
    """Send `rate` requests a second for `duration` seconds on a fixed schedule.

    `make_request(i)` (or the i-th item, cycling) is the i-th request. A request
    whose answer fails `ok`, or never comes within the client's timeout, is an error.
    """
    if not callable(make_request):
        items = list(make_request)
        make_request = lambda i: items[i % len(items)]  # noqa: E731
    count = max(1, int(rate * duration))
    loop = asyncio.get_running_loop()
    outcomes: list[Outcome] = []
    cpu0 = time.process_time()
    start = loop.time() + 0.05
    max_lag = 0.0

    async def one(i: int, due: float) -> None:
        req = make_request(i)
        try:
            response = await client.request(req)
        except (TimeoutError, ConnectionError, OSError) as exc:
            outcomes.append(Outcome(loop.time() - due, 0, error=type(exc).__name__))
            return
        latency = loop.time() - due
        outcome = Outcome(
            latency,
            response.status,
            len(response.body),
            location=response.headers.get("location", ""),
            cache_hit=response.headers.get("x-page-cache") in ("hit", "stale"),
        )
        if not ok(response):
            outcome.error = f"HTTP {response.status}"
        outcomes.append(outcome)

    tasks = []
    for i in range(count):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            max_lag = max(max_lag, -delay)
        tasks.append(asyncio.ensure_future(one(i, due)))
    await asyncio.gather(*tasks)
    wall = loop.time() - start
    return RunResult.of(
        outcomes, rate=rate, wall=wall, cpu=time.process_time() - cpu0, max_lag=max_lag
    )


async def burst(
    client: HttpClient, requests: Sequence[Request], ok: Callable[[Response], bool]
) -> tuple[RunResult, list[Response | None]]:
    """Send every request at once (a crowd pressing "buy" together)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    outcomes: list[Outcome] = []
    responses: list[Response | None] = [None] * len(requests)

    async def one(i: int, req: Request) -> None:
        try:
            response = await client.request(req)
        except (TimeoutError, ConnectionError, OSError) as exc:
            outcomes.append(Outcome(loop.time() - start, 0, error=type(exc).__name__))
            return
        responses[i] = response
        outcome = Outcome(loop.time() - start, response.status, len(response.body))
        outcome.location = response.headers.get("location", "")
        if not ok(response):
            outcome.error = f"HTTP {response.status}"
        outcomes.append(outcome)

    cpu0 = time.process_time()
    await asyncio.gather(*(one(i, r) for i, r in enumerate(requests)))
    wall = loop.time() - start
    result = RunResult.of(
        outcomes, rate=len(requests) / max(wall, 1e-9), wall=wall, cpu=time.process_time() - cpu0
    )
    return result, responses


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of `values`."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class RunResult:
    rate: float  # offered, per second
    sent: int
    errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    throughput: float  # good answers per second of wall time
    loadgen_cpu: float  # share of one core the generator itself used
    max_lag_ms: float = 0.0  # worst lateness of the sender against its schedule
    error_kinds: dict[str, int] = field(default_factory=dict)
    cache_hits: int = 0  # answers served from the shared page cache

    @classmethod
    def of(
        cls, outcomes: list[Outcome], *, rate: float, wall: float, cpu: float, max_lag: float = 0
    ) -> RunResult:
        latencies = [o.latency * 1000 for o in outcomes]
        kinds: dict[str, int] = {}
        for o in outcomes:
            if o.error:
                kinds[o.error] = kinds.get(o.error, 0) + 1
        errors = sum(kinds.values())
        return cls(
            rate=rate,
            sent=len(outcomes),
            errors=errors,
            p50_ms=percentile(latencies, 50),
            p90_ms=percentile(latencies, 90),
            p99_ms=percentile(latencies, 99),
            max_ms=max(latencies) if latencies else math.nan,
            throughput=(len(outcomes) - errors) / wall if wall > 0 else 0.0,
            loadgen_cpu=cpu / wall if wall > 0 else 0.0,
            max_lag_ms=max_lag * 1000,
            error_kinds=kinds,
            cache_hits=sum(1 for o in outcomes if o.cache_hit),
        )


def median_result(runs: Sequence[RunResult]) -> RunResult:
    """Each figure the median over runs (errors: the sum, so none is hidden)."""
    med = statistics.median
    kinds: dict[str, int] = {}
    for run in runs:
        for k, v in run.error_kinds.items():
            kinds[k] = kinds.get(k, 0) + v
    return RunResult(
        rate=runs[0].rate,
        sent=sum(r.sent for r in runs),
        errors=sum(r.errors for r in runs),
        p50_ms=med(r.p50_ms for r in runs),
        p90_ms=med(r.p90_ms for r in runs),
        p99_ms=med(r.p99_ms for r in runs),
        max_ms=max(r.max_ms for r in runs),
        throughput=med(r.throughput for r in runs),
        loadgen_cpu=med(r.loadgen_cpu for r in runs),
        max_lag_ms=max(r.max_lag_ms for r in runs),
        error_kinds=kinds,
        cache_hits=sum(r.cache_hits for r in runs),
    )
