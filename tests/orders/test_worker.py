"""The background queue for real: tasks stored as procrastinate jobs by the
django-tasks backend (core/queue_backend.py) and run by a separate
`manage.py procrastinate worker` process, as in production and in the demo. A
failing task stays failed with its error (the admin lists it) and its retry
waits in the queue: nothing is silently lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from core.models import QueueJobError
from orders import tasks
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory, place, shop
from tests.queue_worker import run_worker_until_idle

pytestmark = pytest.mark.django_db(transaction=True)
CHANGELIST = "/admin/procrastinate/procrastinatejob/"


def _jobs(path: str):
    return ProcrastinateJob.objects.filter(task_name="run_django_task", args__path=path)


def test_a_worker_process_sends_the_mail_and_keeps_the_failure(
    procrastinate_queue, client, settings
):
    # Order mail and task failures are the subject; WhatsApp (tests/notifications)
    # is switched off so the queue holds only what this test counts.
    settings.WHATSAPP_TOKEN = ""
    product = ProductFactory(facility=shop(), stock=3)
    order = place([(product, 1)]).orders[0]
    # The facility's and the shopper's mail wait in the queue, not in the request.
    queued = ProcrastinateJob.objects.filter(status="todo", task_name="run_django_task")
    assert {job.args["path"] for job in queued} == {
        "orders.tasks.mail_new_order_facility",
        "orders.tasks.mail_checkout_shopper",
    }
    broken = tasks.gateway_refund_send.enqueue(987_654_321)  # no such refund

    worker = run_worker_until_idle()

    assert worker.returncode == 0, worker.stderr[-3000:]
    for path in ("orders.tasks.mail_new_order_facility", "orders.tasks.mail_checkout_shopper"):
        assert _jobs(path).get().status == "succeeded"
    assert order.code in worker.stdout
    failed = ProcrastinateJob.objects.get(pk=int(broken.id))
    assert failed.status == "failed"
    assert "DoesNotExist" in QueueJobError.objects.get(job_id=failed.pk).error
    retry = _jobs("orders.tasks.gateway_refund_send").get(status="todo")
    assert retry.scheduled_at > timezone.now()
    assert retry.args["kwargs"] == {"attempt": 2}

    # Head office finds the failure, with its error, and the queue's health.
    client.force_login(head_office_user())
    page = client.get(CHANGELIST + "?status__exact=failed")
    assert page.status_code == 200
    html = page.content.decode()
    assert str(failed.pk) in html and "DoesNotExist" in html
    assert page.context["queue_health"].failed_24h == 1
    assert "Kesehatan antrean" in html and "Gagal" in html
    assert "orders.tasks.gateway_refund_send" in html  # the Django task, not the wrapper
    assert 'style="' not in html  # our CSP refuses inline styles
    detail = client.get(f"{CHANGELIST}{failed.pk}/change/")
    assert detail.status_code == 200 and "GatewayRefund.DoesNotExist" in detail.content.decode()

    # ...and runs it again from there: the same job, back in the queue.
    response = client.post(
        CHANGELIST, {"action": "run_again", "_selected_action": [str(failed.pk)]}, follow=True
    )
    assert "1 tugas dijalankan ulang." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == "todo" and failed.attempts == 2


def test_only_head_office_sees_and_runs_the_queue(procrastinate_queue, client, facility):
    broken = tasks.gateway_refund_send.enqueue(987_654_321)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'failed' WHERE id = %s", [int(broken.id)]
        )
    for user in (facility_staff(facility), regional_reviewer(facility.region)):
        client.force_login(user)
        assert client.get(CHANGELIST).status_code == 403
        assert client.get("/admin/procrastinate/procrastinateworker/").status_code == 403
        response = client.post(CHANGELIST, {"action": "run_again", "_selected_action": [broken.id]})
        assert response.status_code == 403
        assert ProcrastinateJob.objects.get(pk=int(broken.id)).status == "failed"
        # Not offered on the admin's index either.
        assert "procrastinate" not in client.get("/admin/").content.decode()
    client.force_login(head_office_user())
    assert client.get("/admin/procrastinate/procrastinateworker/").status_code == 200
