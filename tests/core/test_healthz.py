from django.db import OperationalError


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    class UnreachableDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    # Only the view's handle is swapped; the test's own connection stays intact.
    monkeypatch.setattr("marketplace.views.connection", UnreachableDatabase())
    response = client.get("/healthz")
    assert response.status_code == 503


def test_language_switch_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/upt/"}, follow=True)
    assert response.status_code == 200
    assert b'lang="en"' in response.content
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/upt/"}, follow=True)
    assert b'lang="id"' in response.content


def test_indonesian_is_the_default_language(client, db):
    response = client.get("/upt/")
    assert b'lang="id"' in response.content
    assert b"Daftar UPT" in response.content


def test_a_browser_asking_for_english_still_gets_indonesian(client, db):
    response = client.get("/upt/", headers={"accept-language": "en-US,en;q=0.9"})
    assert b'lang="id"' in response.content
    assert response["Content-Language"] == "id"


def test_an_unknown_language_cookie_falls_back_to_indonesian(client, db, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert b'lang="id"' in client.get("/upt/").content


def _job(*, status="todo", scheduled_at=None, worker_id=None) -> int:
    """A procrastinate job row as the backend or a worker leaves it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status,"
            " scheduled_at, worker_id) VALUES ('default', 'run_django_task', '{}', %s, %s, %s)"
            " RETURNING id",
            [status, scheduled_at, worker_id],
        )
        return cursor.fetchone()[0]


def _worker(*, seconds_ago: float) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat)"
            " VALUES (NOW() - %s * INTERVAL '1 second') RETURNING id",
            [seconds_ago],
        )
        return cursor.fetchone()[0]


def test_plain_healthz_stays_ok_without_a_worker(client, db):
    """Load balancers ask the plain path: a queue problem must not take the
    site out of rotation."""
    _job()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_healthz_detail_shows_the_queue(client, db, settings):
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    # No worker alive: the detail says so with a 503, for monitors.
    old = _job()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO procrastinate_events (job_id, type, at)"
            " VALUES (%s, 'deferred', NOW() - INTERVAL '10 minutes')",
            [old],
        )
    _job(scheduled_at=timezone.now() + timedelta(hours=1))  # not due: no lag
    dead = _worker(seconds_ago=300)
    _job(status="doing", worker_id=dead)  # its worker died: stalled
    response = client.get("/healthz?detail=1")
    assert response.status_code == 503
    body = response.json()
    assert body["queue_ok"] is False
    queue = body["queue"]
    assert 590 <= queue["lag_seconds"] <= 700
    assert queue["live_workers"] == 0 and queue["stalled"] == 1 and queue["waiting"] == 2

    # A live worker and a small lag: healthy.
    _worker(seconds_ago=1)
    settings.QUEUE_LAG_ALERT_SECONDS = 3600
    response = client.get("/healthz?detail=1")
    assert response.status_code == 200
    assert response.json()["queue"]["live_workers"] == 1


def test_the_edges_probe_asks_the_database_pages_read(client, db, settings, monkeypatch):
    """`/healthz?reads=1` (deploy/varnish/default.vcl's probe): without a
    replica it is the primary; with one, the replica, so a primary restart
    keeps the nodes in rotation for catalog pages (tests/drills/test_shape.py)."""

    class UnreachableDatabase:
        def cursor(self):
            raise OperationalError("connection refused")

    assert client.get("/healthz?reads=1").status_code == 200
    monkeypatch.setattr("marketplace.views.connection", UnreachableDatabase())
    assert client.get("/healthz?reads=1").status_code == 503

    # With a replica that answers, the primary being down does not matter here.
    class Replica:
        def cursor(self):
            from django.db import connection

            return connection.cursor()

    settings.DATABASES = {**settings.DATABASES, "replica": settings.DATABASES["default"]}
    monkeypatch.setattr("marketplace.views.connections", {"replica": Replica()})
    monkeypatch.setattr("marketplace.views.replica_answers", lambda: True)
    assert client.get("/healthz?reads=1").status_code == 200
    assert client.get("/healthz").status_code == 503
