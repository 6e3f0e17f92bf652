"""The tracking page's status stepper (issue 30); which steps are reached is
decided by the state table's module (orders.states.progress_steps)."""

from django import template

from orders import states

register = template.Library()


@register.inclusion_tag("orders/partials/order_stepper.html")
def order_stepper(order):
    steps = states.progress_steps(order)
    reached = [index for index, (_, done) in enumerate(steps) if done]
    current = reached[-1] if reached else 0
    return {
        "steps": [
            {"label": label, "done": done, "current": index == current}
            for index, (label, done) in enumerate(steps)
        ],
        "stopped": order.status in states.RELEASING,
        "status": order.get_status_display(),
    }
