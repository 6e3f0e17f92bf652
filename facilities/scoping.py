"""Who may see which rows: the one place that turns a user into a scope.

Every admin queryset, form choice and action goes through `scope_for(user)`,
so a rule changes here or nowhere. Superusers and head office see everything;
reviewers their region; facility staff their facility; anyone else nothing.

Staff accounts follow the same shape (`Scope.accounts`): head office manages
every account except superusers; a Kanwil reviewer sees its region's facility
staff and may only switch such an account off (see facilities.services); facility
staff manage no accounts. Superusers are managed by superusers alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from facilities.models import Facility, Membership, Region


@dataclass(frozen=True)
class Scope:
    role: str | None
    facility_id: int | None = None
    region_id: int | None = None

    @property
    def is_national(self) -> bool:
        return self.role == Membership.Role.HEAD_OFFICE

    @property
    def is_reviewer(self) -> bool:
        return self.role == Membership.Role.REGIONAL_REVIEWER

    @property
    def is_facility_staff(self) -> bool:
        return self.role == Membership.Role.FACILITY_STAFF

    def may_act_for(self, facility_id: int | None) -> bool:
        """Whether this person may change a facility's operational rows (orders,
        payments, statements, consignment): its own staff and head office.
        Kanwil reviewers watch their region's operations and never act on them."""
        if self.is_national:
            return True
        return self._own_facility(facility_id)

    def _own_facility(self, facility_id: int | None) -> bool:
        return self.is_facility_staff and self.facility_id == facility_id is not None

    def may_see(self, *, facility_id: int | None, region_id: int | None) -> bool:
        """Whether a row of a facility (with that facility's region) is within
        what this person may read: the object-level twin of facility_q()."""
        if self.is_national:
            return True
        if self.is_reviewer:
            return region_id is not None and region_id == self.region_id
        return self._own_facility(facility_id)

    def facility_q(self, prefix: str = "") -> Q:
        """A filter on rows that belong to a facility, reached through `prefix`
        (e.g. "facility__" for products, "" for facilities themselves)."""
        if self.is_national:
            return Q()
        if self.is_reviewer:
            return Q(**{f"{prefix}region_id": self.region_id})
        if self.is_facility_staff:
            return Q(**{f"{prefix}id": self.facility_id})
        return Q(pk__in=[])

    def filter_facility_rows(self, queryset: QuerySet, facility_path: str = "facility") -> QuerySet:
        """Narrow `queryset` to rows whose facility (at `facility_path`) is in scope."""
        if self.is_national:
            return queryset
        if self.is_reviewer:
            return queryset.filter(**{f"{facility_path}__region_id": self.region_id})
        if self.is_facility_staff:
            return queryset.filter(**{f"{facility_path}_id": self.facility_id})
        return queryset.none()

    def facilities(self) -> QuerySet[Facility]:
        return Facility.objects.filter(self.facility_q())

    def accounts(self, queryset: QuerySet) -> QuerySet:
        """Narrow a queryset of users to the staff accounts this scope manages.

        Superusers are never in it: only a superuser, in Django's own user
        admin, creates or changes one.
        """
        queryset = queryset.filter(is_superuser=False)
        if self.is_national:
            return queryset
        if self.is_reviewer:
            # Why only staff of the region's facilities, never other reviewers
            # or head office: a Kanwil is responsible for its UPTs' people.
            return queryset.filter(
                membership__role=Membership.Role.FACILITY_STAFF,
                membership__facility__region_id=self.region_id,
            )
        return queryset.none()

    @property
    def manages_accounts(self) -> bool:
        """Whether the staff-accounts screen is open to this scope at all."""
        return self.is_national or self.is_reviewer

    @property
    def assigns_roles(self) -> bool:
        """Creating accounts and choosing roles, facilities and regions is head
        office's: a reviewer who could make facility accounts (or set their
        passwords) could write a listing and approve it too."""
        return self.is_national

    # --- who holds a scope: the people who hear of its work ------------------

    @classmethod
    def of_facility(cls, facility_id: int) -> Scope:
        """The scope a facility's staff hold."""
        return cls(role=Membership.Role.FACILITY_STAFF, facility_id=facility_id)

    @classmethod
    def of_region(cls, region_id: int) -> Scope:
        """The scope a region's Kanwil reviewers hold."""
        return cls(role=Membership.Role.REGIONAL_REVIEWER, region_id=region_id)

    def holders(self) -> QuerySet:
        """The active accounts whose own scope this is (scope_for(user) == self,
        superusers aside): the other way round from scope_for, so who works at
        a facility or a Kanwil is answered here too."""
        users = get_user_model().objects.filter(is_active=True, membership__role=self.role)
        if self.is_facility_staff:
            return users.filter(membership__facility_id=self.facility_id)
        if self.is_reviewer:
            return users.filter(membership__region_id=self.region_id)
        if self.is_national:
            return users
        return users.none()

    def recipients(self) -> list[str]:
        """The email addresses of holders(), each once, in order: who gets
        staff mail about this facility's or region's work."""
        emails = self.holders().exclude(email="").values_list("email", flat=True)
        return sorted(set(emails))

    def regions(self) -> QuerySet[Region]:
        if self.is_national:
            return Region.objects.all()
        if self.is_reviewer:
            return Region.objects.filter(pk=self.region_id)
        if self.is_facility_staff:
            return Region.objects.filter(facilities__id=self.facility_id)
        return Region.objects.none()


NO_SCOPE = Scope(role=None)


def home_facility_id(user) -> int | None:
    """The facility `user` works at, if any, whatever their role or flags.

    Asked by the rule that nobody reviews their own facility's listings; read
    from the membership directly because a superuser's scope ignores it.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user_id=user.pk).values_list("facility_id", flat=True).first()


def scope_for(user) -> Scope:
    """The scope of `user`, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_kb_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(role=Membership.Role.HEAD_OFFICE)
    else:
        membership = (
            Membership.objects.filter(user=user).only("role", "facility_id", "region_id").first()
        )
        if membership is None:
            scope = NO_SCOPE
        else:
            scope = Scope(
                role=membership.role,
                facility_id=membership.facility_id,
                region_id=membership.region_id,
            )
    user._kb_scope = scope
    return scope
