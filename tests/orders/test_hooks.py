"""The order core reaches its rooms through orders.hooks: every port is
provided once the app is ready, a patched room function is what the port
calls, and a port nobody provided refuses instead of skipping the work."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from orders import hooks
from orders.documents import invoices


def test_every_port_is_provided_when_the_app_is_ready():
    assert [port.name for port in hooks.PORTS if not port.provided] == []


def test_a_port_calls_the_room_function_as_it_is_now(monkeypatch):
    seen = []
    monkeypatch.setattr(invoices, "invoice_issue_if_due", lambda **kw: seen.append(kw))
    hooks.invoices.invoice_issue_if_due(order="o")
    assert seen == [{"order": "o"}]


def test_an_unprovided_port_refuses():
    # Control for the first test: a fresh port is not provided, and says so.
    port = hooks.Port("example", "run")
    assert not port.provided
    with pytest.raises(ImproperlyConfigured):
        port.run()
    with pytest.raises(AttributeError):
        port.walk  # noqa: B018 - not an operation of the port


def test_a_provider_lacking_an_operation_is_refused():
    with pytest.raises(ImproperlyConfigured):
        hooks.Port("example", "run").provide(object())
