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
    monkeypatch.setattr("config.views.connection", UnreachableDatabase())
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
