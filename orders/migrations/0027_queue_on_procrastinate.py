from django.db import migrations

from facilities.roles import sync_role_groups

# Tasks django-tasks-db still held when the queue moved to procrastinate: those
# waiting (READY) and those a stopped worker left RUNNING become procrastinate
# jobs of the generic task (core.queue_backend), so none is lost by the move.
# On a new database the old table does not exist and nothing happens. The old
# table itself is left for a person to drop (docs/queue.md).
MOVE_OLD_TASKS = """
DO $$
BEGIN
    IF to_regclass('django_tasks_database_dbtaskresult') IS NOT NULL THEN
        INSERT INTO procrastinate_jobs (queue_name, task_name, priority, args, scheduled_at)
        SELECT queue_name,
               'run_django_task',
               priority,
               jsonb_build_object(
                   'path', task_path,
                   'args', COALESCE(args_kwargs -> 'args', '[]'::jsonb),
                   'kwargs', COALESCE(args_kwargs -> 'kwargs', '{}'::jsonb)
               ),
               -- django-tasks-db stores "no run_after" as the year 9999.
               CASE WHEN run_after > NOW() + INTERVAL '100 years' THEN NULL ELSE run_after END
          FROM django_tasks_database_dbtaskresult
         WHERE status IN ('READY', 'RUNNING');
        UPDATE django_tasks_database_dbtaskresult
           SET status = 'FAILED', traceback = 'moved to the procrastinate queue'
         WHERE status IN ('READY', 'RUNNING');
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    """The task queue is procrastinate now: head office's view of its jobs and
    workers (facilities.roles), and the old queue's unfinished tasks moved over."""

    dependencies = [
        ("orders", "0026_courier_booking_role_permissions"),
        ("marketplace", "0002_sent_mail_and_queue_job_error"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunSQL(MOVE_OLD_TASKS, migrations.RunSQL.noop),
    ]
