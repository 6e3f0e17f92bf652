"""Keep the stored search vectors true when what they copy changes elsewhere.

A product's vector holds its facility's name, city and province and its
category's (and parent category's) names. Facilities sit below catalog, so the
facility admin cannot call catalog; instead catalog listens to saves of the
rows it copies and refreshes the affected products in the same transaction.
Only a change to a copied field costs the refresh (one UPDATE with joins).
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save

from catalog.models import Category
from catalog.search import refresh_search_vectors_for_category, refresh_search_vectors_for_facility
from facilities.models import Facility

COPIED_FIELDS = {
    Facility: ("name", "city", "province"),
    Category: ("name_id", "name_en", "parent_id"),
}


def _remember_copied_fields(sender, instance, update_fields=None, **kwargs):
    fields = COPIED_FIELDS[sender]
    if instance.pk is None or (update_fields is not None and not set(update_fields) & set(fields)):
        instance._search_copied_before = None
        return
    instance._search_copied_before = sender.objects.filter(pk=instance.pk).values(*fields).first()


def _copied_fields_changed(sender, instance) -> bool:
    before = getattr(instance, "_search_copied_before", None)
    return before is not None and any(
        before[field] != getattr(instance, field) for field in COPIED_FIELDS[sender]
    )


def _facility_saved(sender, instance, created, **kwargs):
    if not created and _copied_fields_changed(sender, instance):
        refresh_search_vectors_for_facility(facility_id=instance.pk)


def _category_saved(sender, instance, created, **kwargs):
    if not created and _copied_fields_changed(sender, instance):
        refresh_search_vectors_for_category(category_id=instance.pk)


def connect() -> None:
    """Called once from CatalogConfig.ready()."""
    for model in COPIED_FIELDS:
        pre_save.connect(_remember_copied_fields, sender=model, dispatch_uid=f"search-{model}")
    post_save.connect(_facility_saved, sender=Facility, dispatch_uid="search-facility-saved")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="search-category-saved")
