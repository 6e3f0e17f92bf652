"""notifications' services queue their tasks through notifications.hooks
(no import of notifications.tasks, which imports them): the port is provided
once the app is ready, and a queued send reaches the task module as it is."""

from notifications import hooks, tasks


def test_the_tasks_port_is_provided_when_the_app_is_ready():
    assert [port.name for port in hooks.PORTS if not port.provided] == []


def test_the_port_enqueues_the_task_of_notifications_tasks(monkeypatch):
    seen = []

    class Recording:
        def enqueue(self, *args):
            seen.append(args)

    monkeypatch.setattr(tasks, "staff_digest_send", Recording())
    hooks.tasks.staff_digest_send.enqueue(7)
    assert seen == [(7,)]
