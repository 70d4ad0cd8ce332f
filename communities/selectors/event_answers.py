"""What the invited answered: the expected attendance an event page shows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Attendance


@dataclass(frozen=True)
class Expected:
    yes: int
    no: int
    maybe: int
    silent: int

    @property
    def invited(self) -> int:
        return self.yes + self.no + self.maybe + self.silent


def expected_attendance(rows: Iterable[Attendance]) -> Expected:
    """Counts of the invited members' answers, from rows the page has already read (no query)."""
    counts = {"yes": 0, "no": 0, "maybe": 0, "": 0}
    for row in rows:
        if row.user_id and row.invited:
            counts[row.response or ""] = counts.get(row.response or "", 0) + 1
    return Expected(counts["yes"], counts["no"], counts["maybe"], counts[""])
