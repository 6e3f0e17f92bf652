"""The production shape on one machine: the pieces `deploy/up` starts.

PostgreSQL primary + streaming replica (initdb, pg_basebackup -R), Redis, an
S3-compatible media server (moto_server) when installed, two app nodes
(gunicorn with marketplace/gunicorn_conf.py, each its own GUNICORN_BIND), the
task worker (`manage.py procrastinate worker`, as the demo starts it) and
Varnish in front (deploy/varnish/default.vcl). Every process keeps its log and
pid under the state folder (.shape/ by default, git-ignored), so `status` and
`down` find them again from another shell.

Standard library only: `python3 deploy/up` runs before any virtualenv exists.
The drills (tests/drills/test_shape_*.py, deploy/drills/) import this module
to start the same pieces on free ports in a temporary folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VCL_DIR = ROOT / "deploy" / "varnish"
PG_BIN = Path(os.environ.get("SHAPE_PG_BIN", "/usr/lib/postgresql/15/bin"))
VARNISHD = os.environ.get("SHAPE_VARNISHD", "/usr/sbin/varnishd")
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DB_NAME = "karyabinaan"
S3_BUCKET = "karyabinaan-media"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Ports:
    """Where each piece listens; `base` lays them out one after another."""

    varnish: int
    app1: int
    app2: int
    primary: int
    replica: int
    redis: int
    s3: int
    varnish_admin: int

    @classmethod
    def from_base(cls, base: int) -> Ports:
        return cls(*(base + offset for offset in range(8)))

    @classmethod
    def free(cls) -> Ports:
        """Eight different free ports (all held open while choosing)."""
        sockets = [socket.socket() for _ in range(8)]
        try:
            for sock in sockets:
                sock.bind(("127.0.0.1", 0))
            return cls(*(sock.getsockname()[1] for sock in sockets))
        finally:
            for sock in sockets:
                sock.close()


def missing_binaries(*, varnish: bool = True) -> list[str]:
    """What this machine lacks for the shape (tests skip naming it)."""
    needed = [PG_BIN / "initdb", PG_BIN / "pg_ctl", PG_BIN / "pg_basebackup"]
    if varnish:
        needed.append(Path(VARNISHD))
    missing = [str(path) for path in needed if not path.exists()]
    if varnish and not any(Path(d, "libvmod_xkey.so").exists() for d in _vmod_dirs()):
        missing.append("varnish-modules (libvmod_xkey.so)")
    return missing


def _vmod_dirs() -> list[str]:
    return ["/usr/lib/x86_64-linux-gnu/varnish/vmods", "/usr/lib/aarch64-linux-gnu/varnish/vmods"]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


def _run(command: list[str], *, log: Path | None = None, timeout: float = 300, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, **kwargs)
    if log is not None:
        with log.open("a") as out:
            out.write(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return result


class Postgres:
    """One PostgreSQL server (primary or standby) in a data folder of its own."""

    def __init__(self, folder: Path, port: int, name: str):
        self.folder, self.port, self.name = folder, port, name
        self.data = folder / "data"
        self.socket_dir = folder / "run"
        self.log = folder / "postgres.log"

    def url(self, database: str = DB_NAME) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _prepare_folder(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        for path in (self.folder, self.socket_dir):
            _give_to_postgres(path)
        self.folder.chmod(0o755)

    def initdb(self) -> None:
        self._prepare_folder()
        _run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            log=self.folder / "setup.log",
        )
        with (self.data / "postgresql.conf").open("a") as conf:
            # Small and quick to stop: this is a laptop-sized shape, not a tuned server.
            conf.write(
                "\n# deploy/shape.py\nlisten_addresses = '127.0.0.1'\n"
                "shared_buffers = 128MB\nmax_connections = 200\n"
                "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n"
                "hot_standby_feedback = on\nfsync = on\n"
            )

    def basebackup_from(self, primary: Postgres) -> None:
        """A streaming replica: pg_basebackup -R writes standby.signal and the
        primary_conninfo, so it starts as a hot standby following `primary`."""
        self._prepare_folder()
        _run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_basebackup"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(primary.port),
                    "-U",
                    "postgres",
                    "-D",
                    str(self.data),
                    "-R",
                    "-X",
                    "stream",
                    "-c",
                    "fast",
                ]
            ),
            log=self.folder / "setup.log",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir}"
        _run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-o",
                    options,
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            timeout=90,
        )

    def stop(self, mode: str = "fast") -> None:
        if self.running():
            _run(
                _as_postgres(
                    [
                        str(PG_BIN / "pg_ctl"),
                        "-D",
                        str(self.data),
                        "-m",
                        mode,
                        "-w",
                        "-t",
                        "60",
                        "stop",
                    ]
                ),
                timeout=90,
            )

    def running(self) -> bool:
        pid_file = self.data / "postmaster.pid"
        if not pid_file.exists():
            return False
        return _alive(int(pid_file.read_text().split()[0]))

    def pid(self) -> int | None:
        pid_file = self.data / "postmaster.pid"
        return int(pid_file.read_text().split()[0]) if pid_file.exists() else None

    def psql(self, sql: str, database: str = DB_NAME) -> str:
        result = _run(
            [
                str(PG_BIN / "psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-c",
                sql,
            ],
            timeout=60,
        )
        return result.stdout.strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        # A zombie child (ours, not yet reaped) is not alive.
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return False


@dataclass
class Shape:
    """The whole shape: its folder, its ports and the processes it started."""

    state: Path
    ports: Ports
    python: str = str(VENV_PYTHON)
    workers_per_node: int = 2
    with_s3: bool | None = None  # None: when moto_server is installed
    extra_env: dict = field(default_factory=dict)

    def __post_init__(self):
        self.state = Path(self.state).resolve()
        self.logs = self.state / "logs"
        self.pids = self.state / "pids"
        self.primary = Postgres(self.state / "pg-primary", self.ports.primary, "primary")
        self.replica = Postgres(self.state / "pg-replica", self.ports.replica, "replica")

    # -- configuration -------------------------------------------------------

    def save(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        data = {
            "ports": asdict(self.ports),
            "python": self.python,
            "workers_per_node": self.workers_per_node,
            "with_s3": self.with_s3,
        }
        (self.state / "shape.json").write_text(json.dumps(data, indent=2))

    @classmethod
    def load(cls, state: Path) -> Shape:
        data = json.loads((Path(state) / "shape.json").read_text())
        return cls(
            state,
            Ports(**data["ports"]),
            python=data["python"],
            workers_per_node=data["workers_per_node"],
            with_s3=data["with_s3"],
        )

    def secret_key(self) -> str:
        path = self.state / "secret_key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50))
            path.chmod(0o600)
        return path.read_text().strip()

    def moto_server(self) -> str | None:
        found = Path(self.python).with_name("moto_server")
        return str(found) if found.exists() else shutil.which("moto_server")

    def uses_s3(self) -> bool:
        return bool(self.with_s3) and self.moto_server() is not None

    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.varnish}"

    def app_env(self, *, bind: str | None = None) -> dict[str, str]:
        """The environment every node and the worker share: only PostgreSQL,
        Redis and media are common to them."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="marketplace.settings_production",
            DEBUG="0",
            KB_NO_BOOTSTRAP="1",
            SECRET_KEY=self.secret_key(),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=f"{self.site_url()},http://localhost:{self.ports.varnish}",
            SITE_URL=self.site_url(),
            DATABASE_URL=self.primary.url(),
            DATABASE_REPLICA_URL=self.replica.url(),
            CACHE_URL=f"redis://127.0.0.1:{self.ports.redis}/0",
            CONN_MAX_AGE="60",
            STATIC_ROOT=str(self.state / "static"),
            MEDIA_ROOT=str(self.state / "media"),
            # No TLS on this machine: Varnish is the way in over plain http. On
            # real machines TLS terminates in front of Varnish and this stays on.
            SECURE_SSL_REDIRECT="0",
            SECURE_HSTS_SECONDS="0",
            # The edge purges pages by tag (edgepages' EDGE_PURGE_URLS).
            EDGE_PURGE_URLS=f"http://127.0.0.1:{self.ports.varnish}/",
            # Varnish keeps pages an hour (purged by tag on every write), so the
            # long tail is not fetched again from the nodes every minute.
            EDGE_CACHE_SECONDS="3600",
            # The checkout's waiting room, its turns from one PostgreSQL row
            # shared by both nodes: about what this machine places a second
            # (docs/flash-sale.md).
            CHECKOUT_ADMISSIONS_PER_SECOND="10",
            WEB_CONCURRENCY=str(self.workers_per_node),
            GUNICORN_THREADS="4",
            GUNICORN_WORKER_TMP_DIR="/dev/shm" if os.path.isdir("/dev/shm") else "",
            PYTHONUNBUFFERED="1",
        )
        if self.uses_s3():
            env.update(
                AWS_STORAGE_BUCKET_NAME=S3_BUCKET,
                AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{self.ports.s3}",
                AWS_S3_REGION_NAME="us-east-1",
                AWS_ACCESS_KEY_ID="shape",
                AWS_SECRET_ACCESS_KEY="shape-secret",
                MEDIA_URL=f"http://127.0.0.1:{self.ports.s3}/{S3_BUCKET}/",
            )
        if bind:
            env["GUNICORN_BIND"] = bind
        env.update(self.extra_env)
        return env

    # -- processes -----------------------------------------------------------

    def spawn(self, name: str, command: list[str], env: dict | None = None) -> int:
        """Start a long-running piece in its own process group, its log and pid kept."""
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pids.mkdir(parents=True, exist_ok=True)
        with (self.logs / f"{name}.log").open("ab") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env or os.environ.copy(),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        (self.pids / f"{name}.pid").write_text(str(process.pid))
        self._children = getattr(self, "_children", {})
        self._children[name] = process
        return process.pid

    def pid_of(self, name: str) -> int | None:
        path = self.pids / f"{name}.pid"
        if not path.exists():
            return None
        pid = int(path.read_text())
        return pid if _alive(pid) else None

    def kill(self, name: str, sig: int = signal.SIGTERM, *, wait: float = 20) -> None:
        """Signal the piece's whole process group (gunicorn master and workers)."""
        pid = self.pid_of(name)
        if pid is None:
            return
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        child = getattr(self, "_children", {}).get(name)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if child is not None:
                child.poll()
            if not _alive(pid):
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            if child is not None:
                child.wait(timeout=10)
        (self.pids / f"{name}.pid").unlink(missing_ok=True)

    def manage(self, *args: str, env: dict | None = None, timeout: float = 900) -> str:
        result = _run(
            [self.python, "manage.py", *args],
            cwd=ROOT,
            env=env or self.app_env(),
            timeout=timeout,
            log=self.logs / "setup.log",
        )
        return result.stdout

    # -- the pieces ----------------------------------------------------------

    def start_databases(self) -> None:
        if not (self.primary.data / "PG_VERSION").exists():
            self.primary.initdb()
        if not self.primary.running():
            self.primary.start()
        if not self.primary.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'", "postgres"
        ):
            self.primary.psql(f'CREATE DATABASE "{DB_NAME}"', "postgres")
        if not (self.replica.data / "PG_VERSION").exists():
            self.replica.basebackup_from(self.primary)
        if not self.replica.running():
            self.replica.start()

    def start_redis(self) -> None:
        if self.pid_of("redis"):
            return
        folder = self.state / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        self.spawn(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.ports.redis),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "256mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
        )
        _wait(lambda: _tcp_open(self.ports.redis), 15, "redis")

    def start_s3(self) -> None:
        if not self.uses_s3() or self.pid_of("s3"):
            return
        self.spawn("s3", [self.moto_server(), "-H", "127.0.0.1", "-p", str(self.ports.s3)])
        _wait(lambda: _tcp_open(self.ports.s3), 30, "moto_server")
        # The bucket, readable by anyone (product photos are public) except
        # private/ (receipts: core/private_media.py streams them to staff
        # only), as a provider's bucket policy would make it.
        self.manage("shell", "-c", _CREATE_BUCKET)

    def prepare_app(self, *, seed: bool = True) -> None:
        """Migrations (on the primary only: the router allows none elsewhere),
        static files, and the demo's seed data and accounts."""
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "-v0")
        if seed:
            # The demo command seeds with DEBUG on (its simulators off while seeding).
            env = {**self.app_env(), "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "marketplace.settings"}
            self.manage("demo", "--no-serve", env=env, timeout=1800)

    def start_app_node(self, name: str, port: int) -> None:
        if self.pid_of(name):
            return
        gunicorn = str(Path(self.python).with_name("gunicorn"))
        self.spawn(
            name,
            [gunicorn, "-c", str(ROOT / "marketplace" / "gunicorn_conf.py"), "marketplace.wsgi"],
            env=self.app_env(bind=f"127.0.0.1:{port}"),
        )
        _wait(
            lambda: http_status(f"http://127.0.0.1:{port}/healthz") == 200,
            90,
            name,
            log=self.logs / f"{name}.log",
        )

    def start_worker(self) -> None:
        if self.pid_of("worker"):
            return
        self.spawn(
            "worker", [self.python, "manage.py", "procrastinate", "worker"], env=self.app_env()
        )

    def render_vcl(self) -> Path:
        """default.vcl with this shape's backend ports; cache.vcl beside it."""
        folder = self.state / "varnish"
        folder.mkdir(parents=True, exist_ok=True)
        text = (VCL_DIR / "default.vcl").read_text()
        text = text.replace('.port = "8001"', f'.port = "{self.ports.app1}"')
        text = text.replace('.port = "8002"', f'.port = "{self.ports.app2}"')
        (folder / "default.vcl").write_text(text)
        shutil.copy(VCL_DIR / "cache.vcl", folder / "cache.vcl")
        for path in (folder, folder / "default.vcl", folder / "cache.vcl"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        return folder / "default.vcl"

    def start_varnish(self, *, memory: str = "256m") -> None:
        if self.pid_of("varnish"):
            return
        vcl = self.render_vcl()
        workdir = self.state / "varnish" / "work"
        workdir.mkdir(parents=True, exist_ok=True)
        secret = self.state / "varnish" / "secret"
        if not secret.exists():
            secret.write_text(secrets.token_hex(16))
            secret.chmod(0o600)
        self.spawn(
            "varnish",
            [
                VARNISHD,
                "-F",
                "-n",
                str(workdir),
                "-a",
                f"127.0.0.1:{self.ports.varnish}",
                "-T",
                f"127.0.0.1:{self.ports.varnish_admin}",
                "-S",
                str(secret),
                "-f",
                str(vcl),
                "-s",
                f"malloc,{memory}",
                "-p",
                f"vcl_path={vcl.parent}:{VCL_DIR}",
                # Give up on a dead node quickly; the VCL retries on the other one.
                "-p",
                "connect_timeout=1",
                # Close idle connections to a node before gunicorn does
                # (GUNICORN_KEEPALIVE, 5 s): a request sent on a connection the
                # node has just closed fails, and Varnish never retries a POST,
                # so a shopper's "+ Keranjang" got a 503 in the flash sale.
                "-p",
                "backend_idle_timeout=3",
            ],
        )
        _wait(
            lambda: http_status(f"{self.site_url()}/healthz") == 200,
            30,
            "varnish",
            log=self.logs / "varnish.log",
        )

    def up(self, *, seed: bool = True, log=print) -> None:
        self.save()
        missing = missing_binaries()
        if missing:
            raise RuntimeError("missing on this machine: " + ", ".join(missing))
        log("PostgreSQL primary and replica ...")
        self.start_databases()
        log("Redis ...")
        self.start_redis()
        if self.with_s3 is None:
            self.with_s3 = self.moto_server() is not None
            self.save()
        if self.uses_s3():
            log("S3-compatible media server (moto_server) ...")
            self.start_s3()
        log("Migrations, static files" + (", demo data" if seed else "") + " (primary) ...")
        self.prepare_app(seed=seed)
        for name, port in (("app1", self.ports.app1), ("app2", self.ports.app2)):
            log(f"App node {name} (gunicorn on 127.0.0.1:{port}) ...")
            self.start_app_node(name, port)
        log("Task worker ...")
        self.start_worker()
        log("Varnish ...")
        self.start_varnish()

    def down(self) -> None:
        for name in ("varnish", "app1", "app2", "worker", "s3", "redis"):
            self.kill(name)
        self.replica.stop()
        self.primary.stop()

    def status(self) -> dict:
        rows = {}
        for name in ("varnish", "app1", "app2", "worker", "redis", "s3"):
            if name != "s3" or self.uses_s3():
                rows[name] = {"pid": self.pid_of(name)}
        rows["varnish"]["healthz"] = http_status(f"{self.site_url()}/healthz")
        for name in ("app1", "app2"):
            port = getattr(self.ports, name)
            rows[name]["healthz"] = http_status(f"http://127.0.0.1:{port}/healthz")
        for server in (self.primary, self.replica):
            running = server.running()
            row = rows[f"postgres-{server.name}"] = {"pid": server.pid() if running else None}
            if running:
                row["in_recovery"] = server.psql("SELECT pg_is_in_recovery()", "postgres")
        if self.replica.running():
            rows["postgres-replica"]["lag_seconds"] = self.replica_lag()
        return rows

    def replica_lag(self) -> str:
        """Seconds since the last transaction the replica replayed (0 when caught up)."""
        return self.replica.psql(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
            "ELSE coalesce(round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
            "::numeric, 2), 0) END",
            "postgres",
        )


_CREATE_BUCKET = """
import json, boto3
from django.conf import settings
s3 = boto3.client("s3", endpoint_url=settings.AWS_S3_ENDPOINT_URL,
                  region_name=settings.AWS_S3_REGION_NAME)
bucket = settings.AWS_STORAGE_BUCKET_NAME
if bucket not in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
    s3.create_bucket(Bucket=bucket)
s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
     "Resource": f"arn:aws:s3:::{bucket}/*"},
    {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
     "Resource": f"arn:aws:s3:::{bucket}/private/*"}]}))
"""


def _tcp_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_status(url: str, timeout: float = 5) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _wait(ready, seconds: float, what: str, *, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.3)
    tail = log.read_text()[-3000:] if log and log.exists() else ""
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s\n{tail}")


if __name__ == "__main__":  # pragma: no cover - deploy/up is the entry point
    sys.exit("Run deploy/up.")
