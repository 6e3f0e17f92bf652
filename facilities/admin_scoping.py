"""A ModelAdmin mixin that keeps every admin surface inside the user's scope.

Rows reach the admin through get_queryset (changelist, change/delete/history
views, bulk actions, raw-id popups and the autocomplete endpoint all start
there), so narrowing it narrows them all. Foreign-key choices are narrowed
too, and facility staff never choose a facility: it is set from their
membership and not shown as a field, so a tampered POST cannot move a row.

An object outside the scope answers 404, not Django's default redirect to the
admin index, so it is indistinguishable from one that does not exist.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404

from facilities.models import Facility
from facilities.scoping import scope_for


class FacilityScopedAdminMixin:
    """Mix into a ModelAdmin (or inline) whose rows belong to a facility.

    `facility_path` is the lookup from the model to its Facility, e.g.
    "facility" for products or "product__facility" for photos.
    """

    facility_path: str = "facility"

    @property
    def _direct_facility_field(self) -> str | None:
        """The model's own FK to Facility, when the path is a single hop."""
        return self.facility_path if "__" not in self.facility_path else None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return scope_for(request.user).filter_facility_rows(queryset, self.facility_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        scope = scope_for(request.user)
        related = db_field.related_model
        if related is Facility:
            kwargs["queryset"] = scope.facilities()
        else:
            # Another scoped model (a product, an order): offer only what its
            # own admin would show this user.
            related_admin = self.admin_site._registry.get(related)
            if isinstance(related_admin, FacilityScopedAdminMixin):
                kwargs["queryset"] = related_admin.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        field = self._direct_facility_field
        if field and scope_for(request.user).is_facility_staff and field not in exclude:
            exclude.append(field)
        return exclude

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        field = self._direct_facility_field
        if field and scope_for(request.user).is_facility_staff and field in fields:
            fields.remove(field)
        return fields

    def get_list_filter(self, request):
        list_filter = list(super().get_list_filter(request))
        field = self._direct_facility_field
        if field and scope_for(request.user).is_facility_staff:
            # One facility: a filter by facility would only list itself.
            list_filter = [
                item
                for item in list_filter
                if (item[0] if isinstance(item, tuple | list) else item) != field
            ]
        return list_filter

    def scoped_facility(self, request, obj=None) -> Facility | None:
        """The facility a new row of this user belongs to (staff only)."""
        scope = scope_for(request.user)
        if scope.is_facility_staff:
            return Facility.objects.get(pk=scope.facility_id)
        return getattr(obj, self._direct_facility_field or "", None) if obj else None

    def save_model(self, request, obj, form, change):
        field = self._direct_facility_field
        scope = scope_for(request.user)
        if field and scope.is_facility_staff:
            setattr(obj, f"{field}_id", scope.facility_id)
        super().save_model(request, obj, form, change)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Out of scope looks exactly like missing: 404, no hint it exists.
        raise Http404


class FacilityScopedModelAdmin(FacilityScopedAdminMixin, admin.ModelAdmin):
    pass


def scoped_view_on_site(request, content_type_id, object_id, site=admin.site):
    """The admin's "Lihat di situs" (/admin/r/<type>/<id>/), within scope.

    Django's own shortcut redirects any staff user to any object's public
    address, whose slug names a draft listing of another facility. This one
    answers only for a row the model's admin shows this user (its scoped
    get_queryset); anything else, or a model with no admin, is a 404 that
    looks exactly like a missing row.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    model_admin = site._registry.get(model) if model else None
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, TypeError, ValidationError):
        visible = False  # an id that cannot be this model's key
    if not visible:
        raise Http404
    return shortcut(request, content_type_id, object_id)
