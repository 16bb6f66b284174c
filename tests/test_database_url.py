"""DATABASE_URL as hosting platforms write it becomes what SQLAlchemy and psycopg 3 need."""

import pytest

from portfolio.config import from_environment, sqlalchemy_url


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db/portfolio", "postgresql+psycopg://u:p@db/portfolio"),
        ("postgresql://u@db:5432/portfolio", "postgresql+psycopg://u@db:5432/portfolio"),
        ("postgresql+psycopg://u@db/portfolio", "postgresql+psycopg://u@db/portfolio"),
        ("sqlite:///instance/portfolio.sqlite3", "sqlite:///instance/portfolio.sqlite3"),
    ],
)
def test_urls_name_psycopg_3(given, used):
    assert sqlalchemy_url(given) == used


def test_the_environment_is_read_through_it():
    assert from_environment({"DATABASE_URL": "postgres://db/x"})["DATABASE_URL"] == (
        "postgresql+psycopg://db/x"
    )
    assert "DATABASE_URL" not in from_environment({})
