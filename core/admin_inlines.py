"""Admin building blocks shared by the apps."""

from django.contrib import admin


class ReadOnlyInline(admin.TabularInline):
    """A history shown on its parent's page: rows are written by services,
    never added, edited or deleted here."""

    extra = 0
    can_delete = False
    # The foreign keys the rows show, read in the same query (not one per row).
    related: tuple[str, ...] = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.related) if self.related else queryset

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdminMixin:
    """For a model admin whose rows only services write (ledgers, trails):
    nothing is added, edited or deleted by hand. Put it first among the bases."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
