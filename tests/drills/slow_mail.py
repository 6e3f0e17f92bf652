"""Settings for the queue-kill drill's workers (tests/drills/test_queue_kill.py):
the project's settings, with mail written to files (one file per connection, so
another process can count what was sent) by a backend that takes a moment per
message before the message is out, as an SMTP relay does, and three seconds for
the message naming DRILL_SLOW_NOTE, so a `kill -9` lands in the middle of
that send."""

import os
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend

from marketplace.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.drills.slow_mail.SlowFileBackend"
EMAIL_FILE_PATH = os.environ["DRILL_MAIL_DIR"]
DRILL_SLOW_NOTE = os.environ["DRILL_SLOW_NOTE"]


class SlowFileBackend(FileBackend):
    def send_messages(self, email_messages):
        slow = any(DRILL_SLOW_NOTE in message.body for message in email_messages)
        time.sleep(3 if slow else 0.02)
        return super().send_messages(email_messages)
