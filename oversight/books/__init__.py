"""The daily books check (issue 29): see oversight.books.check."""

from oversight.books.check import MAX_DAYS, books_check, books_check_daily, books_check_period
from oversight.books.types import BooksDay, Difference, FacilityBooks

__all__ = [
    "MAX_DAYS",
    "BooksDay",
    "Difference",
    "FacilityBooks",
    "books_check",
    "books_check_daily",
    "books_check_period",
]
