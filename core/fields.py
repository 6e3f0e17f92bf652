from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import MAX_ORDER_TOTAL, format_rupiah
from core.phone import normalize_phone


class PhoneField(models.CharField):
    """A CharField that stores Indonesian numbers in +62 form and refuses others."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_phone(value)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value not in self.empty_values:
            value = normalize_phone(value)
            setattr(model_instance, self.attname, value)
        return value


class MoneyField(models.PositiveBigIntegerField):
    """Whole Rupiah in a PostgreSQL bigint, never negative.

    A 32-bit integer ends at Rp 2.147.483.647: 1.000 pieces at Rp 2,5 juta
    already pass it, and the database refused the order with a 500. bigint
    holds every amount the limits in core.money let through, and the
    sums and products of them the reports compute.

    `limit` is the most a form may accept in this column (a validator, so the
    admin says so in Indonesian); it is not a database constraint, since the
    column itself holds far more.
    """

    def __init__(self, *args, limit: int | None = None, **kwargs):
        self.limit = MAX_ORDER_TOTAL if limit is None else limit
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.limit != MAX_ORDER_TOTAL:
            kwargs["limit"] = self.limit
        return name, path, args, kwargs

    @cached_property
    def validators(self):
        # The limit replaces the bigint bound (a second message beside it, and
        # a figure no one types).
        bigint_bound = [v for v in super().validators if type(v) is MaxValueValidator]
        kept = [v for v in super().validators if v not in bigint_bound]
        return [*kept, MaxAmountValidator(self.limit)]

    def formfield(self, **kwargs):
        # Every ModelForm and admin form gets the limit as its own Indonesian
        # message, not Django's bigint bound (9223372036854775807) beside it.
        return super().formfield(**{"form_class": MoneyFormField, "limit": self.limit, **kwargs})


class MoneyFormField(forms.IntegerField):
    """Whole Rupiah typed into a form, `min_value` (0) up to `limit` (the column's).

    Plain forms that take money (the staff's quote prices, a complaint's
    amount) use this too, so no amount past the limits in core.money reaches
    a service: 10^19 in the quote form was a 500 (`bigint out of range`).
    """

    default_error_messages = {
        "invalid": gettext_lazy("Tulis jumlah rupiah sebagai bilangan bulat, misalnya 125000."),
    }

    def __init__(self, *, limit: int = MAX_ORDER_TOTAL, min_value: int = 0, **kwargs):
        kwargs.pop("max_value", None)  # the limit is the only upper bound
        self.limit = limit
        super().__init__(min_value=min_value, **kwargs)
        self.validators.append(MaxAmountValidator(limit))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            attrs.setdefault("max", self.limit)
        return attrs


def money_problems(model: type[models.Model], **amounts: int | None) -> dict[str, str]:
    """{field name: message} for each amount its MoneyField on `model` refuses.

    For services that take amounts from callers other than a form (a script, a
    view putting numbers together): the same limit, asked of the same field.
    """
    problems = {}
    for name, amount in amounts.items():
        field = model._meta.get_field(name)
        try:
            field.run_validators(amount)
        except ValidationError as refused:
            problems[name] = " ".join(refused.messages)
    return problems


@deconstructible
class MaxAmountValidator(MaxValueValidator):
    """MaxValueValidator with the limit written as Rupiah (`Rp 1.000.000.000`)."""

    def __init__(self, limit_value: int):
        super().__init__(limit_value, message=None)

    def __call__(self, value):
        if value is not None and value > self.limit_value:
            raise ValidationError(
                _("Nominal paling besar %(limit)s.") % {"limit": format_rupiah(self.limit_value)},
                code="max_value",
            )
