"""Paging for full-text results, where a common word matches a fifth of the catalog.

Two costs grow with the number of matches, and both are cut here:

- Counting: "kayu" matches about 19,500 of 100,000 products. Nobody pages
  through more than a few hundred results, so the count stops at
  `SEARCH_COUNT_CAP` and the page says "1.000+ produk" (11 ms instead of
  30-100 ms at 100,000 products).
- Ranking: every match must be ranked before the best 24 are known. Sorting
  whole product rows (description, search vector: ~1.6 KB each) made that a
  130 ms query; ranking ids only and then loading the page's rows by id is
  35 ms + under 1 ms. Past the cap, only the newest `SEARCH_COUNT_CAP`
  matches are ranked (`narrow`): 16 ms to find them by the approval-date
  index, 33 ms in all instead of 57 at 100,000 products. A word that common
  says little about relevance anyway, and new listings first suits a shop.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

SEARCH_COUNT_CAP = 1000


class SearchPaginator(Paginator):
    """A paginator over a ranked queryset of products: counts at most
    `cap` + 1 rows, and loads a page as ids first, then `load(ids)` for the
    rows with their joins (the page keeps the ranked order). When there are
    more than `cap` matches, `narrow(cap)` (if given) is the queryset the page
    is taken from instead."""

    def __init__(
        self, object_list: QuerySet, per_page: int, *, load, narrow=None, cap: int | None = None
    ):
        super().__init__(object_list, per_page)
        self.load = load
        self.narrow = narrow
        self.cap = SEARCH_COUNT_CAP if cap is None else cap

    @cached_property
    def count(self) -> int:
        # A sliced queryset counts in a subquery: SELECT count(*) FROM (... LIMIT n);
        # without the ordering (and so the rank) the scan stops at the cap.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        """True when there are more matches than were counted."""
        return self.count > self.cap

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ordered = self.object_list
        if self.capped and self.narrow is not None:
            ordered = self.narrow(self.cap)
        ids = list(ordered.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        rows = {row.pk: row for row in self.load(ids)} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
