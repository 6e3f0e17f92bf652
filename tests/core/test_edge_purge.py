"""Purges at the edge by tag (core/edge_purge.py): a staff save purges its
tags after commit, one request per transaction, and a purge that fails waits
in the backlog until edge_purges_retry gets it through. The same against a
real varnishd: tests/edge/test_varnish.py."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from catalog.services import product_update
from core.edge_purge import MAX_HEADER_CHARS, edge_purges_retry, header_values, purge
from core.models import EdgePurge
from tests.catalog.factories import ProductFactory
from tests.factories import facility_staff


class Edge:
    """A pretend Varnish: records each PURGE's xkey-purge header."""

    def __init__(self, port: int = 0):
        purges = self.purges = []

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - the HTTP method's name
                purges.append(self.headers["xkey-purge"])
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def tags(self) -> set[str]:
        return {tag for header in self.purges for tag in header.split()}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def edge(settings):
    running = Edge()
    settings.EDGE_PURGE_URLS = [running.url]
    yield running
    running.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_staff_save_purges_its_pages_after_commit_in_one_request(
    edge, db, django_capture_on_commit_callbacks
):
    product = ProductFactory(slug="kursi-jati")
    staff = facility_staff(product.facility)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        product_update(product=product, actor=staff, price=99_000)
        product_update(product=product, actor=staff, name="Kursi Jati Baru")
    assert edge.purges == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(edge.purges) == 1
    assert {"product:kursi-jati", "any"} <= edge.tags()


def test_nothing_is_sent_without_edges(settings, db, django_capture_on_commit_callbacks):
    settings.EDGE_PURGE_URLS = []
    with django_capture_on_commit_callbacks(execute=True):
        ProductFactory()
    assert not EdgePurge.objects.exists()


def test_a_rolled_back_write_purges_nothing(edge, db):
    product = ProductFactory(slug="meja")
    edge.purges.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        product_update(product=product, actor=facility_staff(product.facility), price=1_000)
        raise RuntimeError
    assert edge.purges == []


def test_a_failed_purge_is_kept_and_sent_again(settings, db):
    port = _free_port()
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    settings.EDGE_PURGE_TIMEOUT_SECONDS = 0.2
    assert purge({"product:kursi-jati", "Jawa Timur"}) == 1
    kept = EdgePurge.objects.get()
    assert kept.tags == "Jawa%20Timur product:kursi-jati" and kept.last_error
    # Still down: it waits, counted.
    assert edge_purges_retry() == 1
    assert EdgePurge.objects.get().attempts == 2
    # Back up on the same address: it goes through and leaves the backlog.
    edge = Edge(port)
    try:
        assert edge_purges_retry() == 0
        assert edge.purges == ["Jawa%20Timur product:kursi-jati"]
        assert not EdgePurge.objects.exists()
    finally:
        edge.stop()


def test_an_edge_that_answers_an_error_counts_as_failed(settings, db):
    class Refusing(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
        assert purge({"any"}) == 1
        assert "405" in EdgePurge.objects.get().last_error
    finally:
        server.shutdown()
        server.server_close()


def test_a_purge_for_a_removed_edge_is_dropped(settings, db):
    EdgePurge.objects.create(url="http://10.9.9.9:6081/", tags="any")
    settings.EDGE_PURGE_URLS = []
    assert edge_purges_retry() == 0
    assert not EdgePurge.objects.exists()


def test_many_tags_are_split_into_headers_varnish_takes():
    values = header_values({f"product:kursi-jati-nomor-{n}" for n in range(1_000)})
    assert len(values) > 1
    assert all(len(value) <= MAX_HEADER_CHARS for value in values)
    assert sum(len(value.split()) for value in values) == 1_000
