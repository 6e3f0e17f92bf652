"""WhatsApp on, through the simulator: either over real HTTP (a live server) or
with the client's HTTP routed to Django's test client (no server, no threads)."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.test import Client

SIM_PHONE_ID = "100000000000001"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _whatsapp_on(settings, base_url):
    settings.WHATSAPP_SIMULATOR = True
    settings.WHATSAPP_TOKEN = settings.WHATSAPP_SIMULATOR_TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = SIM_PHONE_ID
    settings.WHATSAPP_API_BASE_URL = base_url


@pytest.fixture
def whatsapp_http(live_server, settings):
    """The shop's client and the simulator on one live server, as in the demo."""
    settings.SITE_URL = live_server.url
    _whatsapp_on(settings, live_server.url + "/_simulator/whatsapp")
    return live_server


@pytest.fixture
def whatsapp(settings, monkeypatch):
    """The client's requests answered by the simulator through the test client."""
    _whatsapp_on(settings, "http://simulator.test/_simulator/whatsapp")
    client = Client()

    def urlopen(request, timeout=None):
        assert urlsplit(request.full_url).netloc == "simulator.test", request.full_url
        response = client.generic(
            request.get_method(),
            urlsplit(request.full_url).path,
            data=request.data,
            content_type=request.get_header("Content-type"),
            headers={"Authorization": request.get_header("Authorization")},
        )
        if response.status_code >= 400:
            raise urllib.error.HTTPError(
                request.full_url, response.status_code, "error", {}, io.BytesIO(response.content)
            )
        return io.BytesIO(response.content)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return client


@pytest.fixture
def whatsapp_down(settings):
    """Configured, but nothing answers: port 9 on this machine refuses."""
    _whatsapp_on(settings, "http://127.0.0.1:9")
