"""A small closed-loop load generator for the drills (standard library only).

Each of `concurrency` threads keeps one HTTP/1.1 connection to the way in and
asks for the next path as soon as the last answer arrived, recording when it
asked, the status (0: no answer: connection refused, reset or timed out), the
latency and which node built the page (Varnish's X-Node). The drills are
about errors and recovery, not top speed; bench/ measures rates open-loop.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    started: float
    status: int
    seconds: float
    node: str = ""
    error: str = ""  # why there was no answer (status 0)
    path: str = ""


@dataclass
class Load:
    host: str
    port: int
    paths: list[str]
    concurrency: int = 8
    timeout: float = 10
    results: list[Result] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._paths = itertools.cycle(self.paths)
        self._threads: list[threading.Thread] = []
        self.t0 = time.monotonic()

    def start(self) -> Load:
        self.t0 = time.monotonic()
        for _ in range(self.concurrency):
            thread = threading.Thread(target=self._run, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> list[Result]:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.timeout + 5)
        return self.results

    def _next_path(self) -> str:
        with self._lock:
            return next(self._paths)

    def _run(self) -> None:
        connection = None
        while not self._stop.is_set():
            path = self._next_path()
            started = time.monotonic()
            status, node, error = 0, "", ""
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(
                        self.host, self.port, timeout=self.timeout
                    )
                connection.request("GET", path, headers={"User-Agent": "kb-drill"})
                response = connection.getresponse()
                response.read()
                status, node = response.status, response.getheader("X-Node", "")
                # A hit's X-Varnish names two transactions (this one and the
                # one that stored it): the edge answered, not a node.
                if len(response.getheader("X-Varnish", "").split()) == 2:
                    node = "cache"
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as problem:
                error = type(problem).__name__
                if connection is not None:
                    connection.close()
                connection = None
            finished = time.monotonic()
            with self._lock:
                self.results.append(
                    Result(started - self.t0, status, finished - started, node, error, path)
                )
            if status == 0:
                time.sleep(0.05)  # a refused connection would otherwise spin
        if connection is not None:
            connection.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(results: list[Result]) -> dict:
    ok = [r for r in results if 200 <= r.status < 400]
    latencies = [r.seconds * 1000 for r in ok]
    nodes: dict[str, int] = {}
    for r in ok:
        nodes[r.node or "?"] = nodes.get(r.node or "?", 0) + 1
    statuses: dict[str, int] = {}
    for r in results:
        if not 200 <= r.status < 400:
            kind = f"{r.status}" + (f" {r.error}" if r.error else "")
            statuses[kind] = statuses.get(kind, 0) + 1
    failed = [r for r in results if not 200 <= r.status < 400]
    window = (
        max(r.started + r.seconds for r in failed) - min(r.started for r in failed)
        if failed
        else 0.0
    )
    return {
        "requests": len(results),
        "ok": len(ok),
        "failed": len(results) - len(ok),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "by_node": nodes,
        "failures_by_status": statuses,
        "failed_paths": sorted({r.path for r in failed}),
        "failure_window_s": round(window, 2),
    }
