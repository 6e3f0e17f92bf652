"""What every part of the scale-data generator shares: its error, the span
of history it draws, the mark on its rows, and the bulk writes (ids taken
from a sequence in one statement, rows streamed in with PostgreSQL COPY)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import DatabaseError, connection, models

# The end of the generated history; fixed so the data does not depend on the
# day the command runs.
DEFAULT_UNTIL = datetime(2026, 11, 1, tzinfo=UTC)
HISTORY_DAYS = 730
# Marks generated rows so a wipe or a second run can tell them apart.
SLUG_PREFIX = "skala"


class ScaleDataError(Exception):
    """The database is not in a state the generator can work on."""


def _reserve_ids(model: type[models.Model], count: int) -> range:
    """Take `count` consecutive ids from the model's sequence in one statement.

    The scale database has no concurrent writers while this runs; a real app
    would use nextval per row.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


class _Copier:
    """COPY rows of one model, filling every column the caller leaves out with
    the field's default, so fields added to a model later do not break the bench."""

    def __init__(self, model: type[models.Model], given: list[str]):
        self.model = model
        fields = [f for f in model._meta.concrete_fields]
        by_attname = {f.attname: f for f in fields}
        unknown = set(given) - set(by_attname)
        if unknown:
            raise ScaleDataError(f"{model.__name__} has no columns {sorted(unknown)}")
        self.given = given
        self.defaults: list[tuple[str, object]] = []
        for f in fields:
            if f.attname in given or f.attname == "search_vector":
                continue
            if f.primary_key:
                raise ScaleDataError(f"{model.__name__}: the id must be given")
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                raise ScaleDataError(f"{model.__name__}.{f.attname}: timestamps must be given")
            value = f.get_default()
            if value is None and not f.null:
                raise ScaleDataError(f"{model.__name__}.{f.attname} needs a value")
            self.defaults.append((f.column, _copy_value(f.get_db_prep_save(value, connection))))
        columns = [by_attname[a].column for a in given] + [c for c, _ in self.defaults]
        quoted = ", ".join(f'"{c}"' for c in columns)
        self.sql = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
        self.tail = tuple(v for _, v in self.defaults)

    def copy(self, rows: Iterable[tuple]) -> int:
        count = 0
        with connection.cursor() as cursor:
            fast = _skip_fk_triggers(cursor, True)
            try:
                with cursor.cursor.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row + self.tail)
                        count += 1
            finally:
                if fast:
                    _skip_fk_triggers(cursor, False)
        return count


def _skip_fk_triggers(cursor, skip: bool) -> bool:
    """Skip the per-row foreign-key triggers during a bulk COPY (the generator
    makes every reference itself, from ids it just read or reserved).

    `session_replication_role` needs a superuser, as the bench database's owner
    usually is; otherwise the checks simply run, slower. Inside a transaction
    (the tests) they always run, so the tests check every reference.
    """
    if connection.in_atomic_block:
        return False
    try:
        cursor.execute("SET session_replication_role = %s", ["replica" if skip else "origin"])
    except DatabaseError:
        return False
    return True


def _copy_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value)
    if hasattr(value, "adapted"):  # psycopg Jsonb wrapper from JSONField
        return json.dumps(value.obj)
    return value
