"""Drill: `kill -9` on the queue's worker in the middle of a mail (issue 29,
finding 5: 60 queued mails, the worker killed after 0.9 s, 59 of 60 sent).

Sixty shopper mails (one order status event each, orders.tasks.
mail_status_changed) go through the real backend into procrastinate; a real
`manage.py procrastinate worker` sends them into files, slowly; it is killed
with SIGKILL while a mail is being sent; a new worker starts. With the
stalled-job sweep (core.queue_jobs, every minute in production, every two
seconds here) every mail goes out exactly once. The control runs the new
worker with the sweep switched off: the killed job stays "doing" for good and
one shopper never hears of their order.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from orders.models import OrderEvent, OrderStatus
from orders.tasks import mail_status_changed
from tests.orders.factories import ProductFactory, place, shop
from tests.queue_worker import start_worker

pytestmark = pytest.mark.django_db(transaction=True)
MAILS = 60
PATH = "orders.tasks.mail_status_changed"
NOTE = re.compile(rb"drill-event-(\d+)\b")
SLOW = 10  # the mail being sent when the worker is killed


def _mail_jobs():
    return ProcrastinateJob.objects.filter(task_name="run_django_task", args__path=PATH)


def _sent(mail_dir: Path) -> list[int]:
    """The event number of every message written, duplicates included."""
    return [int(n) for f in mail_dir.iterdir() for n in NOTE.findall(f.read_bytes())]


def _wait(condition, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def sixty_mails(procrastinate_queue, settings, tmp_path):
    settings.WHATSAPP_TOKEN = ""
    order = place([(ProductFactory(facility=shop(), stock=3), 1)]).orders[0]
    assert order.contact_email
    for n in range(MAILS):
        event = OrderEvent.objects.create(
            order=order,
            actor_label="drill",
            from_status=order.status,
            to_status=OrderStatus.PROCESSING,
            note=f"drill-event-{n}",
        )
        mail_status_changed.enqueue(event.pk)
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    return mail_dir


def _kill_mid_send(mail_dir: Path, tmp_path: Path, env: dict) -> int:
    """The first worker: killed with SIGKILL while a mail is being sent;
    returns the id of the job it was running."""
    first = start_worker(log=tmp_path / "first.log", **env)
    try:
        # Killed once under way (ten mails out, as the 0.9 s), in the
        # middle of mail SLOW, the one its relay takes three seconds over.
        _wait(lambda: len(_sent(mail_dir)) >= SLOW, seconds=40, what="the first mails")
        _wait(lambda: _mail_jobs().filter(status="doing").exists(), seconds=5, what="a job")
        time.sleep(0.5)  # well inside the slow mail's three seconds
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    killed = _mail_jobs().get(status="doing")
    sent = _sent(mail_dir)
    assert len(sent) == SLOW and SLOW not in sent  # killed before mail SLOW was out
    return killed.pk


def _env(mail_dir: Path, **extra: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "tests.drills.slow_mail",
        "DRILL_MAIL_DIR": str(mail_dir),
        "DRILL_SLOW_NOTE": f"drill-event-{SLOW}",
        # A worker silent for 3 s is dead (heartbeat every second); production: 30 s.
        "QUEUE_STALLED_SECONDS": "3",
        **extra,
    }


def test_a_killed_workers_mail_is_sent_once_by_the_next_worker(sixty_mails, tmp_path):
    mail_dir = sixty_mails
    env = _env(mail_dir, QUEUE_STALLED_SWEEP_CRON="* * * * * */2")
    killed = _kill_mid_send(mail_dir, tmp_path, env)

    second = start_worker(log=tmp_path / "second.log", **env)
    try:
        _wait(
            lambda: _mail_jobs().filter(status="succeeded").count() == MAILS,
            seconds=40,
            what="every mail job to succeed",
        )
    finally:
        second.terminate()
        second.wait(timeout=15)

    sent = _sent(mail_dir)
    assert sorted(sent) == list(range(MAILS)), (len(sent), len(set(sent)))  # each once
    assert not _mail_jobs().exclude(status="succeeded").exists()
    # The killed job ran again (attempts 2), the others once.
    attempts = dict(_mail_jobs().values_list("pk", "attempts"))
    assert attempts.pop(killed) == 2
    assert set(attempts.values()) == {1}


def test_control_without_the_sweep_the_killed_job_stays_doing(sixty_mails, tmp_path):
    """The harm the sweep removes: the old queue's behaviour."""
    mail_dir = sixty_mails
    env = _env(mail_dir, QUEUE_STALLED_SWEEP_CRON="")
    killed = _kill_mid_send(mail_dir, tmp_path, env)

    second = start_worker(log=tmp_path / "second.log", **env)
    try:
        _wait(
            lambda: _mail_jobs().filter(status="succeeded").count() == MAILS - 1,
            seconds=40,
            what="the other mail jobs",
        )
        time.sleep(6)  # twice the stalled time: a sweep would have acted by now
    finally:
        second.terminate()
        second.wait(timeout=15)

    sent = _sent(mail_dir)
    assert len(set(sent)) == MAILS - 1 and len(sent) == MAILS - 1  # 59 of 60
    assert SLOW not in sent  # that shopper never hears
    assert _mail_jobs().get(status="doing").pk == killed  # and it never ends
