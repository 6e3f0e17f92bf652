"""What the admin index shows above the app list, per role.

Facility staff see the work waiting for them; a Kanwil reviewer sees the
review queue and each facility of the region; head office sees each region
and what sells best. Built from oversight.selectors, so every
number is already narrowed to the user's scope.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from catalog.stock import LOW_STOCK_AT
from facilities.scoping import Scope, scope_for
from oversight import review_figures, selectors
from oversight.charts import bar_chart
from oversight.complaints import complaint_overview
from oversight.periods import add_months, month_label, this_month
from oversight.timeliness import KINDS as TIMELINESS_KINDS
from oversight.timeliness import rules_text as timeliness_rules
from oversight.timeliness import timeliness


def _unit_charts(units: list[selectors.UnitRow]) -> None:
    """Per facility or region: a monthly trend on its own scale (so a small
    facility's trend is visible), and a bar for its 30-day revenue on one
    shared scale (so facilities compare at a glance)."""
    top_30d = max([unit.revenue_30d for unit in units] + [1])
    for unit in units:
        unit.chart = bar_chart(
            [(month_label(month, short=True), value) for month, value in unit.monthly],
            width=168,
            height=56,
        )
        unit.revenue_bar = round(100 * unit.revenue_30d / top_30d)


def _facility_dashboard(scope: Scope) -> dict:
    stock_counts, low_stock = selectors.stock_alerts(scope)
    comparison = selectors.sales_this_month_vs_last(scope)
    current = this_month()
    by_month = selectors.monthly_revenue(
        scope, group="facility", first_month=add_months(current, -5)
    )
    months = [add_months(current, -offset) for offset in range(5, -1, -1)]
    chart = bar_chart(
        [(month_label(month), by_month.get((scope.facility_id, month), 0)) for month in months]
    )
    return {
        "kind": "facility",
        "needs": selectors.orders_needing_action(scope),
        "overdue": selectors.overdue_orders(scope),
        "stock_counts": stock_counts,
        "low_stock": low_stock,
        "low_stock_at": LOW_STOCK_AT,
        "sent_back": selectors.listings_sent_back(scope),
        "comparison": comparison,
        "chart": chart,
        "receivables": selectors.receivable_summary(scope),
    }


def _oversight_dashboard(scope: Scope, *, by: str) -> dict:
    queue_total, queue = selectors.review_queue(scope)
    units = selectors.unit_overview(scope, by=by)
    _unit_charts(units)
    context = {
        "kind": "national" if by == "region" else "region",
        "queue_total": queue_total,
        "queue": queue,
        "units": units,
        "unit_label": _("Kanwil") if by == "region" else _("UPT"),
        "stuck_after": selectors.STUCK_AFTER,
        "complaints": complaint_overview(scope),
        "review_ratings": review_figures.ratings_by_facility(scope),
        "reviews_pending": review_figures.pending_by_age(scope),
        "receivables": selectors.receivable_summary(scope),
        "timeliness": timeliness(scope, by=by),
        "timeliness_kinds": [label for _key, label in TIMELINESS_KINDS],
        "timeliness_month": month_label(this_month()),
        "timeliness_rules": timeliness_rules(),
    }
    if by == "region":
        context["top_products"] = selectors.top_products(scope)
        context["top_categories"] = selectors.top_categories(scope)
    return context


def dashboard_for(user) -> dict:
    """The dashboard context for `user`'s scope (empty for users with no scope)."""
    scope = scope_for(user)
    if scope.is_facility_staff:
        return _facility_dashboard(scope)
    if scope.is_reviewer:
        return _oversight_dashboard(scope, by="facility")
    if scope.is_national:
        return _oversight_dashboard(scope, by="region")
    return {"kind": None}
