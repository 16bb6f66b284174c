"""The Alembic migrations build exactly the schema the models describe."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from portfolio.cli import upgrade_database


# ix_user_lower_name (PostgreSQL only): SQLite cannot reflect an expression index, so Alembic
# skips it there with this warning; the PostgreSQL run compares it.
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index:UserWarning"
)
def test_migrations_match_models(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        schema = f"mig_{uuid.uuid4().hex[:8]}"
        admin = create_engine(database_url)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{database_url}?options=-csearch_path%3D{schema}"
    else:
        schema, admin = None, None
        url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    try:
        upgrade_database(url)
        engine = create_engine(url)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
            attitudes = conn.execute(text("SELECT count(*) FROM attitude")).scalar()
        engine.dispose()
        assert diff == [], diff
        assert attitudes == 8
    finally:
        if admin is not None:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
