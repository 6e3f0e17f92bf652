"""What the books check reports: per facility and day its sums, and each
difference with what to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Difference:
    """One thing that does not add up, with what to do about it. `amount` is
    what is unexplained (positive: money with no home; negative: more
    accounted for than was received). Gateway-wide lines have no facility."""

    day: date
    kind: str
    amount: int
    reference: str
    problem: str
    action: str
    facility_id: int | None = None
    facility: str = ""


@dataclass
class FacilityBooks:
    facility_id: int
    facility: str
    region: str
    received: int = 0
    settled: int = 0
    refunded: int = 0
    held: int = 0

    @property
    def unexplained(self) -> int:
        return self.received - self.settled - self.refunded - self.held


@dataclass
class BooksDay:
    day: date
    rows: list[FacilityBooks] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.differences
