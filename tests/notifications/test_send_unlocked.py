"""No outside call under a row lock: WhatsApp was called inside the
transaction that held the message row FOR UPDATE (message_send), so a slow
Graph API kept the row, and whoever waited on it, locked. The probe
(tests/lock_probe.py) sees the session's row locks at each outside call;
its control shows it catches a call made under one."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from gatewaysim import whatsapp as sim
from notifications import services, whatsapp
from notifications.models import MessageStatus, OutboundMessage
from tests.lock_probe import outside_calls, under_lock  # noqa: F401 (fixture)
from tests.notifications.test_whatsapp import _order, wa  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _sends(seen):
    return [c for c in seen if c["call"] == "notifications.whatsapp.send_template"]


def test_whatsapp_is_sent_with_no_row_lock_held(wa, outside_calls):  # noqa: F811
    order = _order()
    [message] = OutboundMessage.objects.filter(order=order)
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert _sends(outside_calls), "the order's message was sent"
    assert under_lock(outside_calls) == []
    assert not any(c["in_atomic"] for c in _sends(outside_calls))


def test_control_the_probe_sees_a_send_under_the_message_lock(wa, outside_calls):  # noqa: F811
    """What message_send did before: the send inside the transaction that
    locked the message row."""
    message = OutboundMessage.objects.get(order=_order())
    outside_calls.clear()
    with transaction.atomic():
        OutboundMessage.objects.select_for_update().get(pk=message.pk)
        whatsapp.send_template(to=message.recipient, template=message.template, params=[])
    [call] = _sends(outside_calls)
    assert call["row_locks"] >= 1 and call["in_atomic"]


def test_a_claimed_message_is_left_to_the_worker_that_claimed_it(wa):  # noqa: F811
    message = OutboundMessage.objects.get(order=_order())
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.QUEUED)
    sent_before = len(sim.received())
    holding, done = threading.Event(), threading.Event()

    def other_worker():
        # Another worker's session holds the claim (as while it sends).
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_lock(%s, %s)", [services._CLAIM_NAMESPACE, message.pk]
            )
            holding.set()
            done.wait(10)
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)", [services._CLAIM_NAMESPACE, message.pk]
            )
        connections["default"].close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert holding.wait(10)
        services.message_send(message_id=message.pk)  # not ours: nothing sent
        assert len(sim.received()) == sent_before
        assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.QUEUED
    finally:
        done.set()
        worker.join(10)
    services.message_send(message_id=message.pk)  # the claim is free again
    assert len(sim.received()) == sent_before + 1
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT
    assert connection.in_atomic_block is False
