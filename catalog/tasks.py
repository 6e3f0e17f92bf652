"""Background work of the catalog app: listing mail.

Like order mail (orders/tasks.py), each mail is one retried task queued after
commit, so a mail server that is down delays the mail and never turns a
committed submission or decision into an error page.
"""

from __future__ import annotations

from catalog import mail
from core.task_retry import retried_task


@retried_task()
def mail_listing_submitted(review_id: int) -> None:
    mail.send_listing_submitted(review_id=review_id)


@retried_task()
def mail_listing_decided(review_id: int) -> None:
    mail.send_listing_decided(review_id=review_id)
