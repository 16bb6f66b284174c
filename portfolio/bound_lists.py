"""`column IN (a list bound at execution)`, as one array parameter on PostgreSQL.

SQLAlchemy's expanding IN renders one placeholder per value on every execution: a page of 50
placements makes a statement of 50-odd parameters, and psycopg neither caches the conversion
of a statement with more than 50 parameters nor prepares it, so the database parses and plans
it afresh each time. On PostgreSQL `column = ANY(%(ids)s)` keeps one short statement with one
array parameter, which psycopg prepares after a few executions. Other databases (SQLite) get
the expanding IN.

    _PAGE = select(Placement).where(in_list(Placement.id, "ids"))
    session.exec(_PAGE, params={"ids": [3, 5, 8]})
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import Boolean


class InList(ColumnElement[bool]):
    """The column's value is one of the list bound under `name` (see the module's docstring)."""

    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: SQLite must not get `... = 1` (no index then)
    inherit_cache = True
    _traverse_internals = [
        ("as_array", InternalTraversal.dp_clauseelement),
        ("expanding", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column, name: str) -> None:
        array = bindparam(name, type_=ARRAY(column.type))
        self.as_array = column == func.any(array)
        self.expanding = column.in_(bindparam(name, expanding=True))


def in_list(column, name: str) -> InList:
    return InList(column, name)


@compiles(InList)
def _expanding(element: InList, compiler, **kw) -> str:
    return compiler.process(element.expanding, **kw)


@compiles(InList, "postgresql")
def _any_of_array(element: InList, compiler, **kw) -> str:
    return compiler.process(element.as_array, **kw)
