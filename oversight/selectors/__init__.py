"""The numbers behind the dashboards, reports and the public impact page.

Every function takes a `Scope` (from facilities.scoping) and narrows its rows
with it first, so a reviewer's numbers can only ever come from their region.
Each one is a fixed, small number of grouped queries (aggregates in the
database, never a Python loop over orders): the result has one row per
facility, region, month or product, however many orders there are.

One module per audience: common (what counts as a sale), facility, regional,
reports, impact; this package re-exports them for `selectors.<name>`.
"""

from oversight.selectors.common import (  # noqa: F401
    LISTING_STATUSES,
    READY_STOCK_DISPATCH_DAYS,
    SALE_STATUSES,
    STUCK_AFTER,
    _int,
    _stuck_q,
    sale_orders,
)
from oversight.selectors.facility import (  # noqa: F401
    MonthComparison,
    _open_orders,
    _overdue_q,
    listings_sent_back,
    orders_needing_action,
    overdue_orders,
    sales_this_month_vs_last,
    stock_alerts,
)
from oversight.selectors.impact import (  # noqa: F401
    ImpactRow,
    public_impact,
)
from oversight.selectors.institutional import (  # noqa: F401
    InstitutionalRow,
    ReceivableSummary,
    institutional_by_facility,
    overdue_q,
    receivable_q,
    receivable_summary,
)
from oversight.selectors.regional import (  # noqa: F401
    UnitRow,
    _listing_counts,
    monthly_revenue,
    review_queue,
    top_categories,
    top_products,
    unit_overview,
)
from oversight.selectors.reports import (  # noqa: F401
    RecapRow,
    SalesRow,
    ShareRow,
    _period_q,
    _share_amount,
    proceeds_allocation,
    product_recap,
    sales_by_facility_month,
)
