"""The stored full-text search vector of products (PostgreSQL, `indonesian` config).

Weights: name A, category B, facility C, description D. Kept current by
catalog.services after every write to a product, and by catalog/search_sync.py
when a facility or category is renamed; one UPDATE with joins, so refreshing a
thousand products costs one query.
"""

import re
from collections.abc import Iterable
from contextlib import contextmanager

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet

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


def refresh_search_vectors_for_category(*, category_id: int) -> int:
    """After a category's names change, the vectors of its products and of its
    subcategories' products (which carry the parent's name) follow."""
    with connection.cursor() as cursor:
        cursor.execute(_REFRESH_SQL + " AND (c.id = %s OR c.parent_id = %s)", [category_id] * 2)
        return cursor.rowcount


# --- Storefront search ------------------------------------------------------
#
# Full text first: websearch_to_tsquery over the stored vector, ranked among
# the matches only (the @@ filter runs before ts_rank, so rank is computed for
# matching rows, never the whole table). When full text finds nothing, names
# are compared by trigram word similarity (pg_trgm, GIN index on name) so a
# misspelling such as "sonket" still finds "Kain Songket", and the page offers
# the corrected words as a "did you mean" link.

# word_similarity() of a misspelt word against a name: "sonket" vs "Kain
# Songket Palembang" scores 0.5, "pempeck" vs "Pempek Kapal Selam" 0.625, while
# unrelated names stay under 0.2.
TRIGRAM_THRESHOLD = 0.35
MAX_QUERY_LENGTH = 100


def clean_query(raw: str | None) -> str:
    """Collapse whitespace and cap the length, so odd input never reaches SQL
    as something huge."""
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def _ts_query(query: str) -> SearchQuery:
    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def fulltext_search(queryset: QuerySet, query: str) -> QuerySet:
    """Rows of `queryset` matching `query` (websearch syntax), annotated `rank`."""
    return ranked(queryset.filter(search_vector=_ts_query(query)), query)


def ranked(queryset: QuerySet, query: str) -> QuerySet:
    """`queryset` annotated with the full-text `rank` of `query` (no filter)."""
    ts_query = _ts_query(query)
    return queryset.annotate(rank=SearchRank(F("search_vector"), ts_query))


def trigram_search(queryset: QuerySet, query: str, order_by: tuple) -> QuerySet:
    """Rows of `queryset` whose name resembles `query`, annotated `rank`
    (the word similarity, 0..1), ordered by `order_by`.

    The `%>` operator lets PostgreSQL use the trigram GIN index on names (a
    filter on the computed similarity would score every row: 1.4 s instead of
    0.2 s over 100,000 products). Its cut-off is a setting, so evaluate the
    queryset inside `trigram_threshold()`.

    The order starts with a key computed from each match (true for all of
    them, so the order is `order_by`'s): PostgreSQL guesses that `%>` keeps a
    fixed small share of rows, so for a sort an index gives (price, newest)
    it walked that index and scored names one by one until a page was full;
    when the matches sit far along it, that is most of the table (200-470 ms
    on the bench's 100,000 products for "keripik" among crafts sorted by
    price). With no index order to walk, the trigram index finds the matches
    and only those are sorted (60 ms for the same query, a bounded cost).
    """
    matches = queryset.filter(name__trigram_word_similar=query).annotate(
        rank=TrigramWordSimilarity(query, "name")
    )
    found = ExpressionWrapper(Q(rank__gte=0), output_field=BooleanField())
    return matches.order_by(found.desc(), *order_by)


@contextmanager
def trigram_threshold(threshold: float = TRIGRAM_THRESHOLD):
    """A transaction in which `%>` matches from `threshold` up (PostgreSQL's
    default, 0.6, would miss "sonket" -> "Songket" at 0.5)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(threshold)]
        )
        yield


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _similarity(a: str, b: str) -> float:
    ta, tb = _trigrams(a), _trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0


_WORD_RE = re.compile(r"\w+", re.UNICODE)


def suggest_query(query: str, names: Iterable[str]) -> str:
    """Rewrite each word of `query` as the closest word found in `names`
    (the names the trigram fallback matched): "sonket" -> "songket".

    Returns "" when nothing would change.
    """
    vocabulary = {w.lower() for name in names for w in _WORD_RE.findall(name) if len(w) > 2}
    if not vocabulary:
        return ""
    corrected = []
    for word in _WORD_RE.findall(query.lower()):
        best = max(vocabulary, key=lambda candidate: (_similarity(word, candidate), candidate))
        corrected.append(best if _similarity(word, best) >= 0.3 else word)
    suggestion = " ".join(corrected)
    return "" if suggestion == " ".join(_WORD_RE.findall(query.lower())) else suggestion
