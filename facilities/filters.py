import django_filters
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from facilities.selectors import directory_provinces


class FacilityDirectoryFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(label=_("Provinsi"), empty_label=_("Semua provinsi"))
    kind = django_filters.ChoiceFilter(
        label=_("Jenis"), choices=Facility.Kind.choices, empty_label=_("Semua jenis")
    )

    class Meta:
        model = Facility
        fields = ["province", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["province"].extra["choices"] = [(p, p) for p in directory_provinces()]
