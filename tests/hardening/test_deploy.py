"""The production settings pass Django's deployment checks; the bigger-deployment switches."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    """The production environment docs/operations.md documents."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "marketplace.settings_production",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "karyabinaan.id,www.karyabinaan.id",
            "CSRF_TRUSTED_ORIGINS": "https://karyabinaan.id,https://www.karyabinaan.id",
            "DATABASE_URL": os.environ.get(
                "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            ),
            "SITE_URL": "https://karyabinaan.id",
        }
    )
    env.update(overrides)
    return env


def _run(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**env, "KB_NO_BOOTSTRAP": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _python(env, code):
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _run(production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_about_a_graph_api_version_near_its_end():
    """v21.0 (the old default) is retired by Meta on 2027-01-21: within 60 days
    of this deploy check from 2026-11-22 on, and retired after that."""
    env = production_env(WHATSAPP_API_VERSION="v21.0")
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "notifications.W001" in result.stdout + result.stderr


def test_the_deploy_check_fails_when_https_is_switched_off():
    result = _run(
        production_env(SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0"),
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W004" in result.stderr


def test_the_development_settings_do_not_pass_it():
    env = production_env(DJANGO_SETTINGS_MODULE="marketplace.settings")
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_production_settings_refuse_debug():
    result = _python(production_env(DEBUG="1"), "pass")
    assert result.returncode != 0
    assert "needs DEBUG off" in result.stderr


def test_production_cookies_and_proxy_header():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER[0],"
        " s.SECURE_HSTS_SECONDS, ','.join(s.TRUSTED_PROXIES))"
    )
    result = _python(production_env(), code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "HTTP_X_FORWARDED_PROTO",
        "31536000",
        "127.0.0.1,::1",
    ]


# --- state every worker must share ---------------------------------------------------

SESSION_CODE = "from django.conf import settings as s; print(s.SESSION_ENGINE.rsplit('.', 1)[1])"


def test_with_the_default_cache_sessions_live_in_the_database():
    # The default cache is one per process: sessions there would differ per worker.
    result = _python(production_env(), SESSION_CODE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "db"


def test_with_a_shared_cache_sessions_are_read_from_it():
    result = _python(production_env(CACHE_URL="redis://127.0.0.1:6379/2"), SESSION_CODE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cached_db"


@pytest.mark.parametrize("engine", ["cached_db", "cache"])
def test_a_production_start_refuses_sessions_in_a_per_process_cache(engine):
    result = _python(production_env(SESSION_ENGINE=engine), "pass")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "every gunicorn worker would see its own carts" in result.stderr
    assert "locmemcache://" in result.stderr
    # Under gunicorn itself the same start fails, with the same message.
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = production_env(SESSION_ENGINE=engine, GUNICORN_BIND="127.0.0.1:0", WEB_CONCURRENCY="1")
    started = subprocess.run(
        [str(gunicorn), "-c", "marketplace/gunicorn_conf.py", "marketplace.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "every gunicorn worker would see its own carts" in started.stderr


def test_development_may_try_cached_sessions_on_its_one_process():
    env = production_env(DJANGO_SETTINGS_MODULE="marketplace.settings", DEBUG="1")
    result = _python({**env, "SESSION_ENGINE": "cached_db"}, SESSION_CODE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "cached_db"


def test_an_unknown_session_engine_is_refused():
    result = _python(production_env(SESSION_ENGINE="signed_cookies"), "pass")
    assert result.returncode != 0
    assert "use one of db, cached_db, cache" in result.stderr


def test_gunicorn_binds_to_loopback_unless_told_otherwise():
    import runpy

    conf = str(ROOT / "marketplace" / "gunicorn_conf.py")
    saved = {k: os.environ.pop(k) for k in ("GUNICORN_BIND", "PORT") if k in os.environ}
    try:
        assert runpy.run_path(conf)["bind"] == "127.0.0.1:8000"
        os.environ["GUNICORN_BIND"] = "0.0.0.0:9000"
        assert runpy.run_path(conf)["bind"] == "0.0.0.0:9000"
    finally:
        os.environ.pop("GUNICORN_BIND", None)
        os.environ.update(saved)


def test_object_storage_switch_puts_media_on_s3():
    code = (
        "from django.conf import settings as s;"
        "print(s.STORAGES['default']['BACKEND']);"
        "print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])"
    )
    result = _python(
        production_env(
            AWS_STORAGE_BUCKET_NAME="kb-media",
            AWS_S3_ENDPOINT_URL="https://s3.example.test",
            MEDIA_URL="https://media.karyabinaan.id/",
        ),
        code,
    )
    assert result.returncode == 0, result.stderr
    backend, img_src = result.stdout.strip().splitlines()
    assert backend == "storages.backends.s3.S3Storage"
    assert "https://media.karyabinaan.id" in img_src


def test_cache_url_switches_to_redis():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    result = _python(production_env(CACHE_URL="redis://127.0.0.1:6379/1"), code)
    assert result.returncode == 0, result.stderr
    # Django's RedisCache with one client per pool (core/redis_cache.py).
    assert result.stdout.strip() == "core.redis_cache.SharedClientRedisCache"


def test_replica_url_adds_the_replica_and_its_router():
    code = (
        "from django.conf import settings as s;"
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS[0], s.DATABASES['replica']['TEST']);"
        "print('marketplace.db_router.PinToPrimaryMiddleware' in s.MIDDLEWARE)"
    )
    result = _python(
        production_env(DATABASE_REPLICA_URL="postgres://reader@10.0.0.5:5432/karyabinaan"), code
    )
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.strip().splitlines()
    assert "['default', 'replica'] marketplace.db_router.PrimaryReplicaRouter" in first
    assert "'MIRROR': 'default'" in first
    assert second == "True"


def test_the_router_reads_from_the_replica_unless_pinned(monkeypatch):
    from marketplace import db_router
    from marketplace.db_router import PinToPrimaryMiddleware, PrimaryReplicaRouter

    # A replica that answers (the suite has no replica alias; the fallback
    # when it does not answer is tests/core/test_replica_router.py).
    monkeypatch.setattr(db_router, "replica_answers", lambda: True)

    router = PrimaryReplicaRouter()
    seen = {}

    def view(request):
        seen[request.method + request.path] = router.db_for_read(None)
        from django.http import HttpResponse

        return HttpResponse("ok")

    middleware = PinToPrimaryMiddleware(view)
    rf = RequestFactory()
    middleware(rf.get("/produk/"))
    response = middleware(rf.post("/checkout/"))
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "orders") is False
    assert seen == {"GET/produk/": "replica", "POST/checkout/": "default"}
    # Whoever just wrote reads their own order from the primary.
    pinned = rf.get("/lacak/")
    pinned.COOKIES["kb_primary"] = response.cookies["kb_primary"].value
    middleware(pinned)
    assert seen["GET/lacak/"] == "default"
    middleware(rf.get("/admin/orders/order/"))
    assert seen["GET/admin/orders/order/"] == "default"


WARM_UP_CODE = """
import gc
from django.db import connections
from django.template import engines
from core.warmup import project_template_names, warm_up
compiled = warm_up()
loader = engines["django"].engine.template_loaders[0]
print(compiled, len(project_template_names()), len(loader.get_template_cache) >= compiled,
      gc.get_freeze_count() > 0, all(c.connection is None for c in connections.all()))
"""


def test_the_gunicorn_master_compiles_the_templates_before_forking_without_a_connection():
    """core/warmup.py, called by gunicorn_conf's when_ready: every project
    template compiled into the cached loader the forks inherit, what is
    loaded frozen, and no database connection opened (a fork must not
    share one)."""
    result = _python(production_env(), WARM_UP_CODE)
    assert result.returncode == 0, result.stderr
    compiled, templates, cached, frozen, no_connection = result.stdout.split()
    assert int(compiled) == int(templates) > 50
    assert (cached, frozen, no_connection) == ("True", "True", "True")


def test_gunicorn_runs_the_warm_up_before_its_workers_start():
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = production_env(GUNICORN_BIND="127.0.0.1:0", WEB_CONCURRENCY="1")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "marketplace/gunicorn_conf.py", "marketplace.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        for line in server.stderr:
            lines.append(line)
            if "Booting worker" in line:
                break
        log = "".join(lines)
        assert "Warmed up" in log, log
        assert log.index("Warmed up") < log.index("Booting worker")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_reads_outside_requests_go_to_the_primary(monkeypatch):
    """Workers and management commands read the primary: a task queued by a
    commit must see it, and a replica may not have it yet (issue 29)."""
    import threading

    from marketplace import db_router
    from marketplace.db_router import PinToPrimaryMiddleware, PrimaryReplicaRouter

    monkeypatch.setattr(db_router, "replica_answers", lambda: True)

    router = PrimaryReplicaRouter()
    # No request being served: a management command, the shell, a worker's loop.
    assert router.db_for_read(None) == "default"
    # A worker runs sync jobs in a thread of its own.
    in_thread = []
    worker = threading.Thread(target=lambda: in_thread.append(router.db_for_read(None)))
    worker.start()
    worker.join()
    assert in_thread == ["default"]
    # After a request that read the replica, the process is back on the primary.
    seen = []

    def view(request):
        seen.append(router.db_for_read(None))
        from django.http import HttpResponse

        return HttpResponse("ok")

    PinToPrimaryMiddleware(view)(RequestFactory().get("/produk/"))
    assert seen == ["replica"]
    assert router.db_for_read(None) == "default"
