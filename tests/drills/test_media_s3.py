"""Media on S3-compatible object storage (AWS_STORAGE_BUCKET_NAME): the
settings' S3 storage round-trips a file through moto, in-process (mock_aws)
and over HTTP against moto_server, the S3-compatible server the production
shape (deploy/up) keeps its media on. Local files stay the default."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import servers

ROOT = Path(__file__).resolve().parents[2]

try:
    import moto  # noqa: F401
    import storages  # noqa: F401
except ImportError as error:  # the shared venv before `pip install -r requirements/lock.txt`
    pytest.skip(
        f"{error.name} is not installed (requirements/lock.txt has moto and django-storages)",
        allow_module_level=True,
    )

ROUND_TRIP = """
import django
django.setup()
import boto3
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

def round_trip():
    s3 = boto3.client("s3", endpoint_url=settings.AWS_S3_ENDPOINT_URL,
                      region_name=settings.AWS_S3_REGION_NAME)
    s3.create_bucket(Bucket=settings.AWS_STORAGE_BUCKET_NAME)
    body = b"RIFF\\x00\\x00\\x00\\x00WEBPVP8 foto"
    name = default_storage.save("produk/keset.webp", ContentFile(body))
    again = default_storage.save("produk/keset.webp", ContentFile(b"other"))
    head = s3.head_object(Bucket=settings.AWS_STORAGE_BUCKET_NAME, Key=name)
    with default_storage.open(name) as stored:
        read_back = stored.read()
    from django.core.files.storage import storages
    print(type(storages["default"]).__name__)
    print(read_back == body, name != again, default_storage.exists(name))
    print(head["CacheControl"])
    print(default_storage.url(name))
    default_storage.delete(name)
    print(default_storage.exists(name))

if settings.AWS_S3_ENDPOINT_URL:
    round_trip()
else:
    from moto import mock_aws
    with mock_aws():
        round_trip()
"""


def _env(**aws) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        KB_NO_BOOTSTRAP="1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_STORAGE_BUCKET_NAME="kb-media",
        AWS_S3_REGION_NAME="us-east-1",
        **aws,
    )
    # Production settings refuse to start without DATABASE_URL (a fresh
    # clone's suite runs on the embedded database and has none); the round
    # trip opens no database, so any address will do.
    env.setdefault("DATABASE_URL", "postgres://kb@127.0.0.1:1/unused")
    return env


def _round_trip(env: dict) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()


def test_media_round_trip_through_s3_in_process():
    storage, stored, cache_control, url, after_delete = _round_trip(
        _env(AWS_S3_CUSTOM_DOMAIN="media.karyabinaan.id")
    )
    assert storage == "S3Storage"
    # Read back byte for byte; a second upload of the same name never overwrites.
    assert stored == "True True True"
    assert cache_control == "public, max-age=31536000, immutable"
    assert url == "https://media.karyabinaan.id/produk/keset.webp"
    assert after_delete == "False"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_media_round_trip_against_moto_server_over_http(tmp_path):
    moto_server = Path(sys.executable).with_name("moto_server")
    command = [str(moto_server)] if moto_server.exists() else [shutil.which("moto_server") or ""]
    if not command[0]:
        pytest.skip("moto_server is not on PATH")
    port = _free_port()
    process = servers.start(
        [*command, "-H", "127.0.0.1", "-p", str(port)],
        env=dict(os.environ),
        cwd=ROOT,
        log=tmp_path / "moto.log",
    )
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline, (tmp_path / "moto.log").read_text()
            time.sleep(0.2)
        endpoint = f"http://127.0.0.1:{port}"
        storage, stored, cache_control, url, after_delete = _round_trip(
            _env(AWS_S3_ENDPOINT_URL=endpoint)
        )
        assert storage == "S3Storage" and stored == "True True True"
        assert cache_control == "public, max-age=31536000, immutable"
        assert url == f"{endpoint}/kb-media/produk/keset.webp"
        assert after_delete == "False"
    finally:
        servers.stop(process)
