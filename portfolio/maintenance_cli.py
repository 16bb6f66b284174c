"""Commands for upkeep: prune old rows (cron, monthly), hash uploads stored before hashing."""

from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    @app.cli.command("prune")
    def prune_command():
        """Delete login sessions ended and mails sent more than 90 days ago (failed mails stay)."""
        from sqlmodel import Session

        from portfolio.clock import now
        from portfolio.db import get_engine
        from portfolio.domain.retention import prune

        with Session(get_engine()) as session:
            pruned = prune(session, moment=now())
            session.commit()
        click.echo(
            f"Verwijderd: {pruned.sessions} beëindigde sessie(s), "
            f"{pruned.mails} verstuurde mail(s)."
        )

    @app.cli.command("backfill-upload-hashes")
    @click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10_000))
    def backfill_upload_hashes_command(batch: int):
        """Compute the SHA-256 of uploads stored before it was taken, from storage, in batches."""
        from sqlmodel import Session

        from portfolio.db import get_engine
        from portfolio.domain.files import get_storage
        from portfolio.domain.upload_hashes import backfill_batch

        storage = get_storage()
        hashed = missing = signed = 0
        after_id = 0
        while True:
            # One transaction a batch: a long run keeps what it did if it is stopped.
            with Session(get_engine()) as session:
                result = backfill_batch(session, storage, after_id=after_id, size=batch)
                session.commit()
            if result.last_id is None:
                break
            after_id = result.last_id
            hashed += result.hashed
            missing += result.missing
            signed += result.signed
        click.echo(f"Gehasht: {hashed} upload(s).")
        if signed:
            click.echo(
                f"Overgeslagen: {signed} upload(s) bij een geldige handtekening "
                "(die dekt de oude aanduiding; na heropenen opnieuw uitvoeren)."
            )
        if missing:
            click.echo(f"Niet gevonden in de opslag: {missing} upload(s).")
