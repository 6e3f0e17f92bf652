"""Every way a product, its photos, its listing status or its consignment
stock changes — one module each, re-exported here for `services.<name>`.

Each service runs in its own transaction, writes its ListingReview row, and
queues mail with transaction.on_commit so nothing is sent for a change that
rolled back.
"""

from catalog.services.consignment import (  # noqa: F401
    CONSIGNMENT_SERVICES,
    ConsignmentError,
    consignment_hand_over,
    consignment_problem,
    consignment_record,
    consignment_report_sold,
    consignment_return,
)
from catalog.services.listing import (  # noqa: F401
    CHECKLIST,
    EDITABLE_FIELDS,
    REVIEWED_FIELDS,
    SNAPSHOT_FIELDS,
    TRANSITIONS,
    A,
    ListingError,
    ListingPermissionError,
    ListingTransitionError,
    PhotoGoneError,
    S,
    listing_approve,
    listing_archive,
    listing_reject,
    listing_request_changes,
    listing_snapshot,
    listing_submit,
    required_checklist_keys,
)
from catalog.services.photos import (  # noqa: F401
    product_image_add,
    product_image_delete,
    product_image_update,
)
from catalog.services.products import (  # noqa: F401
    product_create,
    product_update,
)
