"""Querysets compiled to SQL once per process and then only executed.

Compiling a queryset (the ORM's `as_sql`: joins, lookups, ordering) cost
about 2 ms of a product page's Python per query on the bench machine, five
times a page, for query shapes that never change: only the slug or the id
does. A `Prepared` query is built once with sentinel values in place of
those parameters; its SQL and its compiler (which knows how to turn rows
into model instances, select_related included) are kept, and each call runs
the SQL with the sentinels replaced by the real values.

The queryset stays the one definition (Product.objects.public(),
PartnerOutlet.objects.current(), ...): nothing is written twice. A value
that the queryset computes when it is built (today's date in `current()`)
must be a parameter too, or it would be frozen at the first call.
prefetch_related is not applied; callers load related lists themselves.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

from django.db import connections
from django.db.models.query import get_related_populators

# Values a real query never carries, one per parameter; the query built with
# them must carry each at least once among its parameters (today's date may
# appear twice).
SENTINEL_TEXT = "\x00kb-prepared-{}\x00"
SENTINEL_INT = -7_300_000_001
SENTINEL_DATE = datetime.date(1, 1, 3)


class Prepared:
    """`Prepared(build, slug=str)`: `build(slug=...)` returns the queryset;
    `.all(slug="kursi")` its model instances, `.values(...)` its rows when
    the queryset is a values()/values_list() one (then rows are tuples)."""

    def __init__(self, build: Callable, **kinds: type):
        self._build = build
        self._kinds = kinds
        self._plan = None
        self._lock = threading.Lock()

    def _sentinels(self) -> dict:
        out = {}
        for index, (name, kind) in enumerate(self._kinds.items()):
            if kind is str:
                out[name] = SENTINEL_TEXT.format(name)
            elif kind is int:
                out[name] = SENTINEL_INT - index
            elif kind is datetime.date:
                out[name] = SENTINEL_DATE + datetime.timedelta(days=index)
            else:
                raise TypeError(f"no sentinel for {kind}")
        return out

    def _prepare(self):
        sentinels = self._sentinels()
        queryset = self._build(**sentinels)
        db = queryset.db
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        slots = []
        found = dict.fromkeys(sentinels, 0)
        by_value = {value: name for name, value in sentinels.items()}
        for param in params:
            name = by_value.get(param) if isinstance(param, str | int | datetime.date) else None
            if name is not None and type(param) is type(sentinels[name]):
                found[name] += 1
                slots.append((True, name))
            else:
                slots.append((False, param))
        if not all(found.values()):
            raise ValueError(f"a parameter is missing from the query: {found}")
        # How each column's value is turned into Python: the ORM works it out
        # on every execution (~0.1 ms for a product page's 70 columns).
        columns = [s[0] for s in compiler.select[0 : compiler.col_count]]
        plan = {
            "db": db,
            "sql": sql,
            "slots": slots,
            "compiler": compiler,
            "models": None,
            "columns": columns,
            "converters": compiler.get_converters(columns),
            "composite": compiler.has_composite_fields(columns),
        }
        klass_info = compiler.klass_info
        if klass_info is not None and queryset._iterable_class.__name__ == "ModelIterable":
            select = compiler.select
            fields = klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            plan["models"] = (
                klass_info["model"],
                [f[0].target.attname for f in select[start:end]],
                start,
                end,
                get_related_populators(klass_info, select, db),
                dict(compiler.annotation_col_map),
            )
        return plan

    def _rows(self, values: dict):
        plan = self._plan
        if plan is None:
            with self._lock:
                plan = self._plan = self._plan or self._prepare()
        params = [values[v] if is_slot else v for is_slot, v in plan["slots"]]
        with connections[plan["db"]].cursor() as cursor:
            cursor.execute(plan["sql"], params)
            rows = cursor.fetchall()
        compiler = plan["compiler"]
        # What results_iter does, with the converters worked out once.
        if plan["converters"]:
            rows = compiler.apply_converters(rows, plan["converters"])
        if plan["composite"]:
            rows = compiler.composite_fields_to_tuples(rows, plan["columns"])
        return plan, rows

    def all(self, **values) -> list:
        plan, rows = self._rows(values)
        model, names, start, end, populators, annotations = plan["models"]
        db = plan["db"]
        out = []
        for row in rows:
            obj = model.from_db(db, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr, column in annotations.items():
                setattr(obj, attr, row[column])
            out.append(obj)
        return out

    def first(self, **values):
        found = self.all(**values)
        return found[0] if found else None

    def values(self, **values) -> list[tuple]:
        _plan, rows = self._rows(values)
        return [tuple(row) for row in rows]
