"""The code goes out on the queue, never inside the request (the answer must
take as long for a phone without orders as for one with)."""

from core.task_retry import retried_task


@retried_task(max_attempts=3)
def code_send(phone: str, otp: str) -> None:
    from myorders.sending import code_deliver

    code_deliver(phone=phone, otp=otp)
