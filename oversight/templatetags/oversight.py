"""The oversight dashboard on the admin index (templates/admin/index.html)."""

from django import template

from oversight.dashboards import dashboard_for

register = template.Library()


@register.inclusion_tag("admin/oversight/dashboard.html", takes_context=True)
def oversight_dashboard(context):
    """Render the logged-in user's dashboard: facility, Kanwil or head office."""
    return dashboard_for(context["request"].user)
