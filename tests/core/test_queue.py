"""The queue's pieces below the drills (tests/drills/test_queue_kill.py):
mail once per event however often its job runs, the backend's job, the
periodic list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from croniter import croniter
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from core.mail_once import mail_send_once
from orders import tasks
from orders.models import OrderEvent, OrderStatus
from tests.orders.factories import ProductFactory, place, shop


@pytest.fixture
def order(db, settings):
    settings.WHATSAPP_TOKEN = ""
    return place([(ProductFactory(facility=shop(), stock=3), 1)]).orders[0]


def _event(order, note: str) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, actor_label="uji", to_status=OrderStatus.PROCESSING, note=note
    )


def test_a_status_mail_job_run_again_does_not_mail_again(order, mailoutbox):
    """A job whose worker died after the send runs again: no second mail."""
    event = _event(order, "sekali saja")
    mailoutbox.clear()
    tasks.mail_status_changed.enqueue(event.pk)
    tasks.mail_status_changed.enqueue(event.pk)  # the same job, run again
    assert [m.body.count("sekali saja") for m in mailoutbox] == [1]
    # Another event of the same order is another mail.
    tasks.mail_status_changed.enqueue(_event(order, "kabar kedua").pk)
    assert len(mailoutbox) == 2


def test_control_a_plain_send_run_twice_mails_twice(db, mailoutbox):
    """What the key prevents: the same send, run twice, without it."""
    for _ in range(2):
        send_mail("uji", "sekali saja", None, ["siti@example.com"])
    assert len(mailoutbox) == 2


def test_a_failed_send_is_tried_again(db, mailoutbox):
    def broken():
        raise OSError("relay down")

    with pytest.raises(OSError):
        mail_send_once(key="uji:1", send=broken)
    assert mail_send_once(key="uji:1", send=lambda: send_mail("uji", "b", None, ["a@b.id"]))
    assert len(mailoutbox) == 1


def test_the_backend_defers_one_generic_job_inside_the_callers_transaction(
    procrastinate_queue, order
):
    later = timezone.now() + timedelta(minutes=5)
    with transaction.atomic():
        result = tasks.mail_status_changed.using(run_after=later, priority=7).enqueue(41)
    job = ProcrastinateJob.objects.get(pk=int(result.id))
    assert job.task_name == "run_django_task" and job.status == "todo"
    assert job.args == {"path": "orders.tasks.mail_status_changed", "args": [41], "kwargs": {}}
    assert job.scheduled_at == later and job.priority == 7 and job.queue_name == "default"
    # A rolled-back write queues nothing: the job is a row of the same transaction.
    with pytest.raises(RuntimeError), transaction.atomic():
        rolled_back = tasks.mail_status_changed.enqueue(42)
        raise RuntimeError
    assert not ProcrastinateJob.objects.filter(pk=int(rolled_back.id)).exists()


def test_every_periodic_job_is_registered_with_its_function():
    from django.utils.module_loading import import_string
    from procrastinate.contrib.django import app

    import marketplace.periodic as periodic

    names = {
        periodic_task.task.name for periodic_task in app.periodic_registry.periodic_tasks.values()
    }
    for name, cron, path in periodic.PERIODIC_JOBS:
        assert f"periodic:{name}" in names
        assert croniter.is_valid(cron), cron
        assert callable(import_string(path))
    assert {"expire_orders", "escalate_complaints", "apply_retention", "poll_tracking"} <= {
        name for name, _, _ in periodic.PERIODIC_JOBS
    }
    assert "jobs_retry_stalled" in names


def test_the_old_queues_unfinished_tasks_move_to_procrastinate(procrastinate_queue):
    """orders 0022 on an existing database: django-tasks-db's waiting and
    stranded-running tasks become jobs; finished ones stay behind."""
    import importlib

    from django.db import connection

    migration = importlib.import_module("orders.migrations.0027_queue_on_procrastinate")
    with connection.cursor() as cursor:
        # The columns the move reads, as django-tasks-db 0.13 has them.
        cursor.execute(
            "CREATE TABLE django_tasks_database_dbtaskresult (id uuid PRIMARY KEY,"
            " status varchar(10), args_kwargs jsonb, priority int, task_path text,"
            " queue_name varchar(32), run_after timestamptz, traceback text DEFAULT '')"
        )
        try:
            cursor.execute(
                "INSERT INTO django_tasks_database_dbtaskresult VALUES"
                " (gen_random_uuid(), 'READY', '{\"args\": [7], \"kwargs\": {}}', 0,"
                "  'orders.tasks.mail_status_changed', 'default', '9999-01-01'),"
                " (gen_random_uuid(), 'RUNNING', '{\"args\": [8], \"kwargs\": {}}', 0,"
                "  'orders.tasks.mail_status_changed', 'default', '9999-01-01'),"
                ' (gen_random_uuid(), \'READY\', \'{"args": [9], "kwargs": {"attempt": 2}}\', 0,'
                "  'orders.tasks.gateway_refund_send', 'default', NOW() + INTERVAL '1 minute'),"
                " (gen_random_uuid(), 'SUCCESSFUL', '{\"args\": [1], \"kwargs\": {}}', 0,"
                "  'orders.tasks.mail_status_changed', 'default', '9999-01-01')"
            )
            cursor.execute(migration.MOVE_OLD_TASKS)
            cursor.execute(
                "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY 1"
            )
            left = dict(cursor.fetchall())
        finally:
            cursor.execute("DROP TABLE django_tasks_database_dbtaskresult")
    jobs = {
        tuple(job.args["args"]): job
        for job in ProcrastinateJob.objects.filter(task_name="run_django_task")
    }
    assert set(jobs) == {(7,), (8,), (9,)}
    assert jobs[(7,)].scheduled_at is None and jobs[(8,)].scheduled_at is None
    assert jobs[(9,)].scheduled_at > timezone.now()
    assert jobs[(9,)].args == {
        "path": "orders.tasks.gateway_refund_send",
        "args": [9],
        "kwargs": {"attempt": 2},
    }
    assert left == {"FAILED": 3, "SUCCESSFUL": 1}
