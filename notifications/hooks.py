"""Where notifications queue their own tasks. notifications.tasks runs the
sends of notifications.services and notifications.staff_alerts, so those
cannot import it back (they did, inside functions: an import cycle); they
queue through this port, which NotificationsConfig.ready gives the tasks
module (core.ports, as orders.hooks does for orders)."""

from __future__ import annotations

from core.ports import Port

tasks = Port("tasks", "whatsapp_send", "staff_alert_send", "staff_digest_send")

PORTS = (tasks,)
