"""Pages of a growing list: about 50 rows, the page number in the URL (`pagina`).

A page number that is not a number, below 1 or beyond the last page gives the first page with a
note, never an error: links get shared and lists shrink.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import ceil
from typing import Generic, TypeVar

T = TypeVar("T")

PER_PAGE = 50
PAGE_ARG = "pagina"
WRONG_PAGE_NOTE = "Die pagina bestaat niet (meer); je ziet de eerste pagina."


@dataclass(frozen=True)
class Pager:
    """Which page to show; `note` explains a page number that was not usable."""

    number: int = 1
    per_page: int = PER_PAGE
    note: str = ""

    @classmethod
    def from_args(cls, args, *, per_page: int = PER_PAGE) -> Pager:
        raw = (args.get(PAGE_ARG) or "1").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= 1_000_000:
            return cls(1, per_page, WRONG_PAGE_NOTE)
        return cls(int(raw), per_page)

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.per_page

    def fit(self, total: int) -> Pager:
        """Return this pager, or the first page with a note when the list is not that long."""
        if self.number > max(1, ceil(total / self.per_page)):
            return replace(self, number=1, note=WRONG_PAGE_NOTE)
        return self


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows, with what a page navigation needs."""

    rows: list[T]
    total: int
    pager: Pager

    @property
    def number(self) -> int:
        return self.pager.number

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.pager.per_page))

    @property
    def first_row(self) -> int:
        return self.pager.offset + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return self.pager.offset + len(self.rows)
