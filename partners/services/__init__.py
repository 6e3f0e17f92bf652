"""Every write of the partners app: partner logins (accounts), an outlet's
desk (outlet), packaging houses (packaging). Each a keyword-only function in
its own transaction."""

from partners.services.accounts import (  # noqa: F401
    PartnerError,
    partner_account_create,
    partner_account_set_active,
)
from partners.services.outlet import (  # noqa: F401
    handover_acknowledge,
    outlet_payment_confirm,
    outlet_payment_record,
    outlet_payment_reject,
    outlet_payment_report,
    outlet_report,
)
from partners.services.packaging import (  # noqa: F401
    packaging_proposal_accept,
    packaging_proposal_send,
    packaging_request_create,
)
