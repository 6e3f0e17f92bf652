"""The background queue for real: tasks stored by django-tasks-db's database
backend and run by a separate `manage.py db_worker` process, as in production
and in the demo. A failing task stays FAILED with its traceback (the admin
lists it) and its retry waits in the queue: nothing is silently lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from orders import tasks
from tests import servers
from tests.factories import head_office_user
from tests.orders.factories import ProductFactory, place, shop

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def run_worker() -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": servers.test_database_url(),
        "DEBUG": "1",
        "EMAIL_URL": "consolemail://",
        "KB_NO_BOOTSTRAP": "1",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_a_worker_process_sends_the_mail_and_keeps_the_failure(database_queue, client, settings):
    # Order mail and task failures are the subject; WhatsApp (tests/notifications)
    # is switched off so the queue holds only what this test counts.
    settings.WHATSAPP_TOKEN = ""
    product = ProductFactory(facility=shop(), stock=3)
    order = place([(product, 1)]).orders[0]
    queued = DBTaskResult.objects.filter(status="READY")
    # The facility's and the shopper's mail wait in the queue, not in the request.
    assert set(queued.values_list("task_path", flat=True)) == {
        "orders.tasks.mail_new_order_facility",
        "orders.tasks.mail_checkout_shopper",
    }
    broken = tasks.gateway_refund_send.enqueue(987_654_321)  # no such refund

    worker = run_worker()

    assert worker.returncode == 0, worker.stderr[-3000:]
    done = DBTaskResult.objects.filter(status="SUCCESSFUL")
    assert done.count() == 2
    assert f"Pesanan baru {order.code}" in worker.stdout or order.code in worker.stdout
    failed = DBTaskResult.objects.get(pk=broken.id)
    assert failed.status == "FAILED" and "DoesNotExist" in failed.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == "orders.tasks.gateway_refund_send"
    assert retry.run_after > timezone.now()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    # Head office finds the failure in the admin.
    client.force_login(head_office_user())
    page = client.get("/admin/django_tasks_database/dbtaskresult/?status__exact=FAILED")
    assert page.status_code == 200 and str(failed.id) in page.content.decode()

    # ...and runs it again from there; facility staff cannot.
    response = client.post(
        "/admin/django_tasks_database/dbtaskresult/",
        {"action": "run_again", "_selected_action": [str(failed.id)]},
    )
    assert response.status_code == 302
    again = DBTaskResult.objects.filter(status="READY").exclude(pk=retry.pk).get()
    assert again.task_path == "orders.tasks.gateway_refund_send"
    assert again.args_kwargs == {"args": [987_654_321], "kwargs": {}}
