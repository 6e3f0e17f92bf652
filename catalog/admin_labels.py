"""Printable product labels from the product admin: the action "Cetak label
produk" sends the selected products to an A4 page of labels (catalog/labels.py
says what each label carries). Scoped like the product list: staff print their
own facility's products, head office any; others' ids are left out."""

from __future__ import annotations

from datetime import date

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy

from catalog import labels

MAX_PRODUCTS = 100


def _ids(raw: str) -> list[int]:
    return [int(part) for part in raw.split(",") if part.strip().isdigit()][:MAX_PRODUCTS]


def _date(raw: str, default: date) -> date:
    try:
        return date.fromisoformat(raw) if raw else default
    except ValueError:
        return default


def _int(raw: str, default: int) -> int:
    return int(raw) if raw.isdigit() else default


class LabelPrintingMixin:
    """For ProductAdmin: the action and the page behind it."""

    def get_urls(self):
        return [
            path(
                "label/",
                self.admin_site.admin_view(self.labels_view),
                name="catalog_product_labels",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Cetak label produk (A4)"), permissions=["view"])
    def print_labels(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True)[:MAX_PRODUCTS])
        return HttpResponseRedirect(
            reverse("admin:catalog_product_labels") + "?" + urlencode({"ids": ids})
        )

    def labels_view(self, request):
        """The label sheet. ?ids=1,2 (products), produksi=YYYY-MM-DD (the
        batch's production date: best-before = it + shelf life), salinan=N
        (labels per product). Products outside the user's scope are ignored."""
        ids = _ids(request.GET.get("ids", ""))
        today = timezone.localdate()
        produced_on = _date(request.GET.get("produksi", ""), today)
        copies = _int(request.GET.get("salinan", ""), 1)
        by_id = {
            product.pk: product
            for product in self.get_queryset(request)
            .filter(pk__in=ids)
            .select_related("facility", "category", "category__parent")
        }
        products = [by_id[pk] for pk in ids if pk in by_id]
        printed = labels.labels_for(products, produced_on=produced_on, copies=copies)
        return TemplateResponse(
            request,
            "admin/catalog/product/labels.html",
            {
                "sheets": labels.sheets(printed),
                "count": len(printed),
                "products": products,
                "ids": ",".join(str(product.pk) for product in products),
                "produced_on": produced_on,
                "copies": max(1, min(copies, labels.MAX_COPIES)),
                "per_sheet": labels.LABELS_PER_SHEET,
                "incomplete": [
                    (label.name, label.missing)
                    for label in {id(x): x for x in printed}.values()
                    if label.missing
                ],
            },
        )
