"""The order's official address in the admin: each Kemendagri code with the
name the order was placed with (province, regency/city, district, village)
and the postal code, read-only like the rest of the order page. Shown to
whoever may open the order (the scope is OrderAdmin's queryset); no query:
the codes and names are columns of the order."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy

# (label, code field, name field) in the order of the chain.
REGION_ROWS = (
    (gettext_lazy("Provinsi"), "region_province_code", "province"),
    (gettext_lazy("Kabupaten/kota"), "region_regency_code", "city"),
    (gettext_lazy("Kecamatan"), "region_district_code", "district"),
    (gettext_lazy("Kelurahan/desa"), "region_village_code", "village"),
)


class OrderRegionsMixin:
    @admin.display(description=gettext_lazy("Wilayah resmi (kode Kemendagri)"))
    def region_codes(self, order):
        if not order.is_delivery:
            return "—"
        if not any(getattr(order, code) for _label, code, _name in REGION_ROWS):
            return gettext_lazy("— (alamat dari sebelum wilayah resmi: tanpa kode)")
        rows = [
            (label, getattr(order, code) or "—", getattr(order, name) or "—")
            for label, code, name in REGION_ROWS
        ]
        rows.append((gettext_lazy("Kode pos"), order.postal_code or "—", ""))
        body = format_html_join(
            "",
            '<tr><th scope="row">{}</th><td class="kb-region-code"><code>{}</code></td>'
            "<td>{}</td></tr>",
            rows,
        )
        return format_html('<table class="kb-regions">{}</table>', body)
