"""Paginate a growing list: page and sort from the query string, one COUNT, ~50 rows a page.

Every value read from the URL is checked against what the page allows; an unknown value is
dropped with a Dutch note and the first page is shown instead of an error. The filters that were
accepted travel along in every pager and sort link, so a page is one shareable URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, select

from portfolio.models.base import MAX_ID

PER_PAGE = 50
PAGE_PARAM = "pagina"
SORT_PARAM = "sort"


@dataclass
class ListArgs:
    """The accepted query arguments of a list page, and the notes about refused ones."""

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


@dataclass
class Page:
    rows: list
    total: int
    number: int
    sort: str
    descending: bool
    args: ListArgs
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.number - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.number * self.per_page)

    @property
    def notes(self) -> list[str]:
        return self.args.notes

    def link_args(self, **changes) -> dict[str, str]:
        """Return the query args for a link: the kept filters, the sort, then `changes`."""
        args = dict(self.args.kept)
        args[SORT_PARAM] = ("-" if self.descending else "") + self.sort
        args.update({k: str(v) for k, v in changes.items()})
        if args.get(PAGE_PARAM) == "1":
            del args[PAGE_PARAM]
        return args

    def sort_args(self, column: str) -> dict[str, str]:
        """Return the args of a column header link: toggle when active, back to page 1."""
        descending = column == self.sort and not self.descending
        return self.link_args(**{SORT_PARAM: ("-" if descending else "") + column, PAGE_PARAM: 1})

    def aria_sort(self, column: str) -> str:
        if column != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"


def _read_sort(args: ListArgs, sorting: Sorting) -> tuple[str, bool]:
    raw = (args.raw.get(SORT_PARAM) or "").strip()
    key = raw.removeprefix("-")
    if not raw:
        return sorting.default, sorting.default_descending
    if key not in sorting.columns:
        args.notes.append("Onbekende sortering: de lijst staat in de gewone volgorde.")
        return sorting.default, sorting.default_descending
    return key, raw.startswith("-")


def _read_page_number(args: ListArgs) -> int:
    raw = (args.raw.get(PAGE_PARAM) or "1").strip()
    if raw.isdigit() and 0 < int(raw) <= MAX_ID:
        return int(raw)
    args.notes.append(f"Pagina '{raw[:20]}' bestaat niet: je ziet de eerste pagina.")
    return 1


def paginate(
    session: Session, query: Select, *, args: ListArgs, sorting: Sorting, per_page: int = PER_PAGE
) -> Page:
    """Return one page of `query`'s rows, sorted as asked (two queries: COUNT, then the rows)."""
    sort, descending = _read_sort(args, sorting)
    number = _read_page_number(args)
    total = session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    if (number - 1) * per_page >= max(total, 1):
        args.notes.append(f"Pagina {number} bestaat niet: je ziet de eerste pagina.")
        number = 1
    expression = sorting.columns[sort][1]
    order = [expression.desc() if descending else expression.asc(), sorting.tie_breaker]
    rows = session.exec(
        query.order_by(*order).limit(per_page).offset((number - 1) * per_page)
    ).all()
    return Page(
        rows=list(rows),
        total=total,
        number=number,
        sort=sort,
        descending=descending,
        args=args,
        per_page=per_page,
    )
