"""in_list: `column IN (a bound list)`, one array parameter on PostgreSQL (portfolio/bound_lists.py)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select

from portfolio.bound_lists import in_list
from portfolio.models import Placement

_IDS = select(Placement.id).where(in_list(Placement.id, "ids")).order_by(Placement.id)
_OTHERS = select(Placement.id).where(~in_list(Placement.id, "ids")).order_by(Placement.id)


def test_selects_the_listed_rows_and_their_complement(db, make_placement):
    first, second, third = (make_placement().id for _ in range(3))

    assert db.exec(_IDS, params={"ids": [first, third]}).all() == [first, third]
    assert db.exec(_IDS, params={"ids": []}).all() == []
    assert db.exec(_IDS, params={"ids": [second, 10**6]}).all() == [second]
    assert db.exec(_OTHERS, params={"ids": [first, third]}).all() == [second]
    assert db.exec(_OTHERS, params={"ids": []}).all() == [first, second, third]


def test_postgresql_gets_one_array_parameter_whatever_the_length():
    compiled = _IDS.compile(dialect=postgresql.psycopg.dialect())
    assert "= any(%(ids)s::INTEGER[])" in str(compiled)
    assert "POSTCOMPILE" not in str(compiled)


def test_sqlite_gets_a_plain_in_that_can_use_an_index():
    text = str(_IDS.compile(dialect=sqlite.dialect()))
    assert "placement.id IN (__[POSTCOMPILE_ids])" in text
    assert "= 1" not in text  # a predicate, not a boolean value compared with true


def test_the_statement_is_compiled_once(db, make_placement):
    placement = make_placement()
    engine = db.get_bind()
    db.exec(_IDS, params={"ids": [placement.id]}).all()
    cached = len(engine._compiled_cache)
    for n in range(1, 6):
        db.exec(_IDS, params={"ids": [placement.id] * n}).all()
    assert len(engine._compiled_cache) == cached
