"""Every way an order changes: placing a checkout (checkout, with its input,
lines and choices checks), an agreed order, each status step — one module
each, re-exported here for `services.<name>`. Receipts and bank statements
are the payments room's (orders.payments.services.receipts, .statements).

Each service runs in its own transaction, writes an OrderEvent, and queues
mail with transaction.on_commit. Status moves are checked against the one
table in orders.states.
"""

from orders.services.address import (  # noqa: F401
    address_checked,
)
from orders.services.agreed import (  # noqa: F401
    AgreedLine,
    Agreement,
    order_place_agreed,
)
from orders.services.checkout import (  # noqa: F401
    order_place,
)
from orders.services.checkout_input import (  # noqa: F401
    Address,
    Contact,
    FacilityChoice,
    PlaceLine,
    PlaceResult,
)
from orders.services.common import (  # noqa: F401
    IDEMPOTENCY_KEY_RE,
    MAX_PROOFS_PER_ORDER,
    OrderError,
)
from orders.services.steps import (  # noqa: F401
    order_complete,
    order_complete_delivered,
    order_confirm_payment,
    order_confirm_receivable,
    order_process_and_ship,
    order_ready_for_pickup,
    order_reject_payment,
    order_ship,
    order_start_processing,
)
from orders.services.steps_ending import (  # noqa: F401
    order_call_off,
    order_cancel,
    order_close_unpaid,
    order_expire,
    order_expire_due,
)
