"""Background work of the catalog app: listing mail.

Like order mail (orders/tasks.py), each mail is one retried task queued after
commit, so a mail server that is down delays the mail and never turns a
committed submission or decision into an error page. The services queue them
through `queue_listing_*` here (not in catalog.mail, which these tasks call:
mail queuing its own tasks made mail and tasks import each other).
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


def queue_listing_submitted(review_id: int) -> None:
    mail_listing_submitted.enqueue(review_id)


def queue_listing_decided(review_id: int) -> None:
    mail_listing_decided.enqueue(review_id)
