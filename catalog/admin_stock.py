"""The product admin's stock field: staff set the ready stock through
catalog.stock.set_counted, as the change they made to the number the form
showed, so a save from a form opened before a sale cannot undo the sale."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class StockFieldMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "stock":
            # The form carries the stock it showed (a hidden "initial-stock"):
            # on a POST the form's own initial is the row as it is now.
            field.show_hidden_initial = True
        return field


def stock_shown(form) -> int | None:
    """The stock the change form showed when it was opened, or None when the
    POST did not carry it (then the count is set as given)."""
    field = form.fields["stock"]
    raw = field.hidden_widget().value_from_datadict(
        form.data, form.files, form.add_initial_prefix("stock")
    )
    try:
        return field.to_python(raw)
    except ValidationError:
        return None


def stock_change(form) -> dict:
    """product_update's stock arguments for a saved change form ({} when the
    staff did not change the stock)."""
    if "stock" not in form.changed_data:
        return {}
    return {"stock": form.cleaned_data["stock"], "stock_seen": stock_shown(form)}
