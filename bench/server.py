"""gunicorn started as production starts it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

from bench.config import BASE_DIR, RESULTS_DIR, Config


class Server:
    """gunicorn with marketplace/gunicorn_conf.py, as production starts it."""

    def __init__(self, config: Config, env: dict[str, str]):
        self.config = config
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen | None = None
        self.log = open(RESULTS_DIR / "gunicorn.log.tmp", "w")  # noqa: SIM115 - closed in stop()

    def start(self) -> None:
        command = [
            str(BASE_DIR / ".venv" / "bin" / "gunicorn"),
            "-c",
            str(BASE_DIR / "marketplace" / "gunicorn_conf.py"),
            "marketplace.wsgi",
        ]
        if self.config.server_cpus and shutil.which("taskset"):
            command = ["taskset", "-c", self.config.server_cpus, *command]
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        import urllib.request

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited; see bench/results/gunicorn.log.tmp")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.config.port}/healthz", timeout=2
                ) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def processes(self):
        import psutil

        master = psutil.Process(self.process.pid)
        if master.name() == "taskset":  # exec'd into gunicorn, same pid
            master = psutil.Process(self.process.pid)
        return master, master.children(recursive=True)

    def cpu_seconds(self) -> float:
        master, workers = self.processes()
        total = 0.0
        for p in [master, *workers]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
                if p is master:
                    # Workers recycled by max_requests are reaped by the master:
                    # their CPU moves to its children's times. Without these a
                    # recycle mid-run made the figure fall (a negative rate).
                    total += t.children_user + t.children_system
            except Exception:  # noqa: BLE001 - a worker replaced meanwhile
                pass
        return total

    def worker_rss_mb(self) -> list[float]:
        _master, workers = self.processes()
        return sorted(round(w.memory_info().rss / 2**20, 1) for w in workers)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
