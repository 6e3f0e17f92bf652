"""What privacy promises, as values: the notice version, the response time,
what may be corrected and what erasure blanks; and the error it raises."""

from __future__ import annotations

from orders.models import OrderStatus
from orders.services.common import OrderError

# The privacy notice's version, recorded on every checkout that agreed to it.
# Change it whenever templates/privacy/notice.html changes what it promises.
NOTICE_VERSION = "2026-12-07"

# UU PDP art. 32-44: most requests are answered within 3x24 hours.
RESPONSE_HOURS = 72

# Contact details may be corrected while the order has not left the facility.
CORRECTABLE = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PROCESSING})

ANONYMOUS_NAME = "Anonim"

# Fields that identify the shopper and the values they get on erasure. The
# province stays: reports count sales by it. Amounts, dates, the facility and
# the lines are not personal data and stay too.
ERASED_FIELDS = {
    "contact_name": ANONYMOUS_NAME,
    "contact_phone": "",
    "contact_email": "",
    "city": "",
    "district": "",
    "village": "",
    "region_regency_code": "",
    "region_district_code": "",
    "region_village_code": "",
    "postal_code": "",
    "street": "",
    "note": "",
    # A courier's tracking number opens the waybill with name and address.
    "tracking_number": "",
}


class PrivacyError(OrderError):
    """A privacy request refused; `messages` says why, in Indonesian."""
