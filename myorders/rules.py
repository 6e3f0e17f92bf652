"""What a "Pesanan saya" sign-in code promises: how long it lives and how
often it may be asked and tried (docs/pesanan-saya.md). One place, read by
the codes and by the message that carries a code."""

CODE_MINUTES = 10
ATTEMPTS_PER_CODE = 5
CODES_PER_PHONE_PER_HOUR = 3
FAILURES_PER_PHONE_PER_HOUR = 10
