"""Command-line tasks: run migrations, load demo data."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from alembic import command
from alembic.config import Config
from flask import Flask, current_app

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    """Build Alembic's config in code, so no alembic.ini has to be found on disk."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def upgrade_database(url: str) -> None:
    """Bring the database schema to the newest migration."""
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    command.upgrade(alembic_config(url), "head")


def init_app(app: Flask) -> None:
    @app.cli.group("db")
    def db_group():
        """Database schema (Alembic migrations)."""

    @db_group.command("upgrade")
    def db_upgrade():
        """Apply all migrations."""
        upgrade_database(current_app.config["DATABASE_URL"])
        click.echo("Database is up to date.")

    @db_group.command("revision")
    @click.option("-m", "--message", required=True)
    def db_revision(message: str):
        """Autogenerate a migration from the models (for developers)."""
        command.revision(
            alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=True
        )

    @app.cli.command("demo")
    @click.option("--reset", is_flag=True, help="Throw the demo database away first.")
    def demo(reset: bool):
        """Migrate, load demo data (once) and print the demo logins."""
        from portfolio.demo import load_demo

        url = current_app.config["DATABASE_URL"]
        if reset:
            if not url.startswith("sqlite:///"):
                raise click.UsageError("--reset only works on the embedded SQLite database.")
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        upgrade_database(url)
        for line in load_demo():
            click.echo(line)

    @app.cli.command("seed-scale")
    @click.option("--students", type=click.IntRange(1, 100_000), required=True)
    def seed_scale_command(students: int):
        """Add a programme of N students for load tests (bulk inserts; run `db upgrade` first)."""
        from portfolio.clock import today_in_brussels
        from portfolio.db import get_engine
        from portfolio.demo.scale import seed_scale

        try:
            report = seed_scale(get_engine(), students=students, today=today_in_brussels())
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        for table, count in sorted(report.counts.items()):
            click.echo(f"{table:>16}: {count}")
        for line in report.logins:
            click.echo(line)

    from portfolio import maintenance_cli, outreach_cli

    outreach_cli.init_app(app)
    maintenance_cli.init_app(app)

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
    def worker(burst: bool):
        """Run the background jobs (exports) queued on Redis (REDIS_URL)."""
        from portfolio import jobs

        if not current_app.config.get("REDIS_URL"):
            raise click.UsageError("REDIS_URL is not set: jobs then run inside the web process.")
        jobs.run_worker(current_app._get_current_object(), burst=burst)
