"""Pages of a growing list: about 50 rows, the page number in the URL (`pagina`).

A page number that is not a number, below 1 or beyond the last page gives the first page with a
note, never an error: links get shared and lists shrink.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from math import ceil
from typing import Generic, TypeVar

from sqlalchemy import func, or_
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, select

from portfolio.models.base import MAX_ID

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


# ---------------------------------------------------------------- sorted, filtered lists from SQL


@dataclass
class ListArgs:
    """The accepted query arguments of a list page, and notes about the refused ones.

    Every value read from the URL is checked against what the page allows; an unknown value is
    dropped with a Dutch note instead of an error. The accepted ones (`kept`) travel along in
    every page and sort link, so a list page is one shareable URL.
    """

    raw: Mapping[str, str]
    kept: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def choice(self, name: str, allowed: Mapping[str, str], label: str) -> str:
        """Return the value of `name` if it is one of `allowed` (keys), else '' with a note."""
        value = (self.raw.get(name) or "").strip()
        if value and value not in allowed:
            self.notes.append(f"Onbekende keuze voor '{label}': die filter is weggelaten.")
            return ""
        return self._keep(name, value)

    def number(self, name: str, label: str) -> int | None:
        """Return a positive id or number from `name`; anything else is dropped with a note."""
        value = (self.raw.get(name) or "").strip()
        if not value:
            return None
        if not value.isdigit() or not 0 < int(value) <= MAX_ID:
            self.notes.append(f"'{label}' moet een geldig nummer zijn: die filter is weggelaten.")
            return None
        self._keep(name, value)
        return int(value)

    def day(self, name: str, label: str) -> date | None:
        """Return a date (YYYY-MM-DD, as a date input sends it); anything else gives a note."""
        value = (self.raw.get(name) or "").strip()
        if not value:
            return None
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            self.notes.append(f"'{label}' is geen geldige datum: die filter is weggelaten.")
            return None
        self._keep(name, value)
        return parsed

    def text(self, name: str, max_length: int = 100) -> str:
        """Return free text (a search), trimmed and bounded."""
        return self._keep(name, (self.raw.get(name) or "").strip()[:max_length])

    def _keep(self, name: str, value: str) -> str:
        if value:
            self.kept[name] = value
        return value


@dataclass(frozen=True)
class Sorting:
    """The columns a list may be sorted by: key -> (Dutch label, SQL expression)."""

    columns: Mapping[str, tuple[str, ColumnElement]]
    default: str
    tie_breaker: ColumnElement  # a unique column, so pages never overlap or skip rows
    default_descending: bool = False  # e.g. a log: newest first


@dataclass(frozen=True)
class SortedPage(Page):
    """A Page of an SQL list with its sort and the accepted filter arguments."""

    sort: str = ""
    descending: bool = False
    args: ListArgs = field(default_factory=lambda: ListArgs({}))

    @property
    def notes(self) -> list[str]:
        return [*self.args.notes, *([self.pager.note] if self.pager.note else [])]

    def link_args(self, **changes) -> dict[str, str]:
        """Return the query args for a link: the kept filters, the sort, then `changes`."""
        args = {**self.args.kept, SORT_ARG: ("-" if self.descending else "") + self.sort}
        args.update({key: str(value) for key, value in changes.items()})
        return args

    def sort_args(self, column: str) -> dict[str, str]:
        """Return the args of a column header link: toggle when active, back to page 1."""
        descending = column == self.sort and not self.descending
        return self.link_args(**{SORT_ARG: ("-" if descending else "") + column})

    def aria_sort(self, column: str) -> str:
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


SORT_ARG = "sort"


def _read_sort(args: ListArgs, sorting: Sorting) -> tuple[str, bool]:
    raw = (args.raw.get(SORT_ARG) or "").strip()
    key = raw.removeprefix("-")
    if not raw:
        return sorting.default, sorting.default_descending
    if key not in sorting.columns:
        args.notes.append("Onbekende sortering: de lijst staat in de gewone volgorde.")
        return sorting.default, sorting.default_descending
    return key, raw.startswith("-")


def paginate(
    session: Session,
    query: Select,
    *,
    args: ListArgs,
    sorting: Sorting,
    per_page: int = PER_PAGE,
    counted: Select | None = None,
) -> SortedPage:
    """Return one page of `query`'s rows, sorted as asked (two queries: COUNT, then the rows).

    `counted` is the same set of rows without what only sorting needs (a join to the names),
    when that makes the count cheaper.
    """
    sort, descending = _read_sort(args, sorting)
    counted = query if counted is None else counted
    total = session.exec(select(func.count()).select_from(counted.order_by(None).subquery())).one()
    pager = Pager.from_args(args.raw, per_page=per_page).fit(total)
    expression = sorting.columns[sort][1]
    order = [expression.desc() if descending else expression.asc(), sorting.tie_breaker]
    rows = session.exec(query.order_by(*order).limit(per_page).offset(pager.offset)).all()
    return SortedPage(
        rows=list(rows), total=total, pager=pager, sort=sort, descending=descending, args=args
    )


def matches(search: str, *columns) -> ColumnElement[bool]:
    """Return 'any column contains the search', ignoring case (LIKE wildcards typed are dropped).

    SQLite's lower() leaves letters like É alone, so a value typed as written matches too.
    """
    typed = "%" + search.replace("%", "").replace("_", "") + "%"
    return or_(
        *(func.lower(func.coalesce(column, "")).like(typed.lower()) for column in columns),
        *(column.like(typed) for column in columns),
    )
