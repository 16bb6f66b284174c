"""The load benchmark's database: plan its queries as in production, and tell its size."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from portfolio.config import sqlalchemy_url


def _engine(url: str):
    return create_engine(sqlalchemy_url(url))


def tune_postgres(url: str) -> None:
    """Cost the planner for data on SSD or in memory, as the README's production settings
    advise (random_page_cost 1.1): new connections of this database pick it up."""
    if not url.startswith(("postgresql", "postgres:")):
        return
    engine = _engine(url)
    with engine.begin() as connection:
        name = connection.execute(text("SELECT current_database()")).scalar_one()
        quoted = connection.dialect.identifier_preparer.quote(name)
        connection.execute(text(f"ALTER DATABASE {quoted} SET random_page_cost = 1.1"))
    engine.dispose()
    print(f"PostgreSQL: random_page_cost = 1.1 for database {name} (README: production settings)")


def placements_in(url: str) -> int:
    """The number of placements seeded (one a student): a database seeded before keeps its
    size, whatever --students asks."""
    engine = _engine(url)
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM placement")).scalar_one()
    engine.dispose()
    return count
