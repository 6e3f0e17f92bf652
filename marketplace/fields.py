from django.db import models

from marketplace.phone import normalize_phone


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
