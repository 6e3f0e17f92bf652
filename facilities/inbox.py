"""The officer's inbox: every piece of work waiting for a person, with its deadline.

A mechanism low in the layers that knows no app above facilities. Each app
registers its sources at ready() (`register_source`), the way apps tell the
page cache about their models (core.page_registry): a source says which rows
are work (`rows(now)`), which of them are late by the app's own rule
(`late(now)`), and how one row reads as an item (`item(row, now)`) with its
deadline and the admin URL where the work is done.

Scoping is applied here, once, through facilities.scoping (`Scope.
filter_facility_rows` on the source's `facility_path`), so a source cannot
forget it. Who sees what:

- the people who do the work (`workers`: "facility", "reviewer", "national")
  see every pending row in their scope;
- late rows of a source that `escalates` also reach the Kanwil of the
  facility's region and head office (overdue only), so a deadline that passes
  is seen above the facility.

Counts for the header badge are one SQL query whatever the number of sources
or rows (a UNION ALL of one grouped count per source); the inbox page adds one
query per source (its first `limit` rows), never one per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value
from django.utils import timezone

from facilities.models import Facility
from facilities.scoping import Scope, scope_for

FACILITY, REVIEWER, NATIONAL = "facility", "reviewer", "national"


@dataclass(frozen=True)
class InboxItem:
    kind: str
    kind_label: str
    title: str
    url: str
    deadline: datetime | None
    overdue: bool
    facility: Facility | None = None
    detail: str = ""


@dataclass(frozen=True)
class InboxSource:
    key: str
    label: str
    rows: Callable[[datetime], QuerySet]
    late: Callable[[datetime], Q] | None
    item: Callable[[Any, datetime], InboxItem]
    workers: frozenset[str] = frozenset({FACILITY})
    escalates: bool = True
    facility_path: str | None = "facility"
    perm: str = ""
    position: int = 100


_SOURCES: dict[str, InboxSource] = {}


def register_source(
    key: str,
    *,
    label: str,
    rows: Callable[[datetime], QuerySet],
    late: Callable[[datetime], Q] | None,
    item: Callable[[Any, datetime], InboxItem],
    workers: frozenset[str] | set[str] = frozenset({FACILITY}),
    escalates: bool = True,
    facility_path: str | None = "facility",
    perm: str = "",
    position: int = 100,
) -> None:
    """Declare a kind of work. `rows(now)`: the unscoped queryset of pending
    rows (with what `item` reads select_related), sorted by urgency; `late(now)`:
    a filter on those rows for the ones past their deadline, from the rule
    that sets it (None: work without a deadline, never late); `perm`: the
    permission the work's admin page needs.
    `facility_path` None: work that belongs to no facility (failed background
    tasks, reconciliation differences), seen by head office alone, e.g.
    `register_source("failed_tasks", ..., workers={NATIONAL}, facility_path=None)`.
    Registering a key again replaces it (tests, reloads)."""
    _SOURCES[key] = InboxSource(
        key=key,
        label=label,
        rows=rows,
        late=late,
        item=item,
        workers=frozenset(workers),
        escalates=escalates,
        facility_path=facility_path,
        perm=perm,
        position=position,
    )


def sources() -> list[InboxSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.position, s.key))


def _role(scope: Scope) -> str | None:
    if scope.is_national:
        return NATIONAL
    if scope.is_reviewer:
        return REVIEWER
    if scope.is_facility_staff:
        return FACILITY
    return None


@dataclass
class _Plan:
    source: InboxSource
    late_only: bool


def _plans(user, scope: Scope) -> list[_Plan]:
    role = _role(scope)
    if role is None:
        return []
    plans = []
    for source in sources():
        if source.perm and not user.has_perm(source.perm):
            continue
        if role in source.workers:
            plans.append(_Plan(source, late_only=False))
        elif source.escalates and source.late and role in (REVIEWER, NATIONAL):
            plans.append(_Plan(source, late_only=True))
    return plans


def _scoped(plan: _Plan, scope: Scope, now: datetime, facility_id: int | None) -> QuerySet:
    source = plan.source
    rows = source.rows(now)
    if source.facility_path is None:
        rows = rows if scope.is_national and facility_id is None else rows.none()
    else:
        rows = scope.filter_facility_rows(rows, source.facility_path)
        if facility_id is not None:
            rows = rows.filter(**{f"{source.facility_path}_id": facility_id})
    if plan.late_only:
        rows = rows.filter(source.late(now))  # never None: see _plans
    return rows


@dataclass
class Section:
    key: str
    label: str
    count: int
    late: int
    late_only: bool
    items: list[InboxItem] = field(default_factory=list)


@dataclass
class Inbox:
    sections: list[Section]
    # facility id -> late rows there, for the Kanwil's "facilities missing deadlines"
    late_by_facility: dict[int, int]

    @property
    def count(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def late(self) -> int:
        return sum(s.late for s in self.sections)


def _late_count(source: InboxSource, now: datetime):
    if source.late is None:
        return Value(0, output_field=IntegerField())
    return Count("pk", filter=source.late(now))


def _counts(plans, scope, now, facility_id) -> dict[str, list[tuple[int | None, int, int]]]:
    """(facility, rows, late rows) per source, in one query."""
    parts = []
    for plan in plans:
        path = plan.source.facility_path
        facility = F(f"{path}_id") if path else Value(None, output_field=IntegerField())
        parts.append(
            _scoped(plan, scope, now, facility_id)
            .order_by()
            .annotate(inbox_key=Value(plan.source.key, output_field=CharField()))
            .values("inbox_key", inbox_facility=facility)
            .annotate(n=Count("pk"), n_late=_late_count(plan.source, now))
            .values_list("inbox_key", "inbox_facility", "n", "n_late")
        )
    if not parts:
        return {}
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    result: dict[str, list[tuple[int | None, int, int]]] = {}
    for key, facility, n, n_late in query:
        result.setdefault(key, []).append((facility, n, n_late))
    return result


def inbox_for(
    user,
    scope: Scope,
    *,
    now: datetime | None = None,
    limit: int = 20,
    facility_id: int | None = None,
    with_items: bool = True,
) -> Inbox:
    """`user`'s inbox: one section per kind of work they may see, each with
    its count, late count and (with_items) its first `limit` items.
    Queries: 1 for the counts, plus 1 per non-empty section with items."""
    now = now or timezone.now()
    plans = _plans(user, scope)
    # The header badge and the page's panel read the same counts: one query
    # per request (cached on the request's user object, like scope_for; a
    # new request, task or sweep loads a new user object, so never stale).
    cache = user.__dict__.setdefault("_kb_inbox_counts_by", {})
    if facility_id not in cache:
        cache[facility_id] = _counts(plans, scope, now, facility_id)
    counts = cache[facility_id]
    sections, late_by_facility = [], {}
    for plan in plans:
        per_facility = counts.get(plan.source.key, [])
        for facility, _n, n_late in per_facility:
            if n_late and facility is not None:
                late_by_facility[facility] = late_by_facility.get(facility, 0) + n_late
        section = Section(
            key=plan.source.key,
            label=str(plan.source.label),
            count=sum(n for _f, n, _l in per_facility),
            late=sum(n_late for _f, _n, n_late in per_facility),
            late_only=plan.late_only,
        )
        if with_items and section.count:
            rows = _scoped(plan, scope, now, facility_id)[:limit]
            section.items = [plan.source.item(row, now) for row in rows]
        sections.append(section)
    return Inbox(sections=sections, late_by_facility=late_by_facility)


def inbox_counts(user, *, now: datetime | None = None) -> tuple[int, int]:
    """(items, late items) for the header badge: one query per request."""
    inbox = inbox_for(user, scope_for(user), now=now, with_items=False)
    return inbox.count, inbox.late
