"""The stored full-text search vector of products (PostgreSQL, `indonesian` config).

Weights: name A, category B, facility C, description D. Kept current by
catalog.services after every write that changes one of those; one UPDATE with
joins, so refreshing a thousand products costs one query.
"""

from collections.abc import Iterable

from django.db import connection

SEARCH_CONFIG = "indonesian"

_REFRESH_SQL = f"""
UPDATE catalog_product AS p
SET search_vector =
    setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(p.name, '')), 'A')
    || setweight(to_tsvector('{SEARCH_CONFIG}',
                 coalesce(c.name_id, '') || ' ' || coalesce(c.name_en, '') || ' '
                 || coalesce(pc.name_id, '') || ' ' || coalesce(pc.name_en, '')), 'B')
    || setweight(to_tsvector('{SEARCH_CONFIG}',
                 coalesce(f.name, '') || ' ' || coalesce(f.city, '') || ' '
                 || coalesce(f.province, '')), 'C')
    || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(p.description, '')), 'D')
FROM catalog_category AS c
LEFT JOIN catalog_category AS pc ON pc.id = c.parent_id,
     facilities_facility AS f
WHERE c.id = p.category_id AND f.id = p.facility_id
"""


def refresh_search_vectors(*, product_ids: Iterable[int] | None = None) -> int:
    """Recompute the search vector of the given products (all when None).

    Returns the number of rows updated.
    """
    with connection.cursor() as cursor:
        if product_ids is None:
            cursor.execute(_REFRESH_SQL)
        else:
            ids = list(product_ids)
            if not ids:
                return 0
            cursor.execute(_REFRESH_SQL + " AND p.id = ANY(%s)", [ids])
        return cursor.rowcount


def refresh_search_vectors_for_facility(*, facility_id: int) -> int:
    """After a facility's name or place changes, its products' vectors follow."""
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL + " AND p.facility_id = %s", [facility_id])
        return cursor.rowcount
