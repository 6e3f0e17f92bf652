"""A real varnishd in front of the app under test (pytest-django's
live_server), running deploy/varnish/cache.vcl through tests/edge/test.vcl.
Skips, saying why, when Debian's varnish or the xkey vmod is missing
(.ci/run installs `varnish varnish-modules`)."""

import http.client
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

VARNISHD = Path("/usr/sbin/varnishd")
VMOD_DIRS = [Path("/usr/lib/x86_64-linux-gnu/varnish/vmods"), Path("/usr/lib/varnish/vmods")]
HERE = Path(__file__).resolve().parent
DEPLOY_VCL = Path(settings.BASE_DIR) / "deploy" / "varnish"


def _missing() -> str:
    if not VARNISHD.exists():
        return f"{VARNISHD} is missing (apt-get install varnish varnish-modules)"
    if not any((folder / "libvmod_xkey.so").exists() for folder in VMOD_DIRS):
        return "the xkey vmod is missing (apt-get install varnish-modules)"
    return ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Varnish:
    def __init__(self, app_port: int, folder: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        vcl = folder / "test.vcl"
        vcl.write_text((HERE / "test.vcl").read_text().replace("@APP_PORT@", str(app_port)))
        self.log = (folder / "varnishd.log").open("w")
        self.process = subprocess.Popen(
            [
                str(VARNISHD),
                "-F",
                "-j",
                "none",
                "-n",
                str(folder / "work"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(vcl),
                "-p",
                f"vcl_path={folder}:{DEPLOY_VCL}",
                "-s",
                "malloc,256m",
                "-T",
                "none",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited: {(folder / 'varnishd.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("varnishd did not start listening in 30 s")

    def request(self, method: str, path: str, *, headers=None, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        self.log.close()


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    why = _missing()
    if why:
        pytest.skip(why)
    port = int(live_server.url.rsplit(":", 1)[1])
    running = Varnish(port, tmp_path)
    settings.EDGE_PURGE_URLS = [running.url]
    yield running
    running.stop()
    shutil.rmtree(tmp_path / "work", ignore_errors=True)
