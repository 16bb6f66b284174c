"""Commands for cron: deliver the mail outbox, send the hourly reminders."""

from __future__ import annotations

import click
from flask import Flask, current_app


def init_app(app: Flask) -> None:
    @app.cli.command("send-mail")
    def send_mail_command():
        """Send every due mail in the outbox (failures are retried later with backoff)."""
        from portfolio.outbox import deliver_all

        result = deliver_all()
        click.echo(f"Verstuurd: {result.sent}, mislukt (later opnieuw): {result.failed}.")

    @app.cli.command("send-reminders")
    def send_reminders_command():
        """Queue the reminders due now (one digest per person a day) and send the outbox."""
        from sqlmodel import Session

        from portfolio.clock import now
        from portfolio.db import get_engine
        from portfolio.notices.reminders import send_reminders
        from portfolio.outbox import deliver_all

        # Links in the mails are built as in a request to the public address.
        base_url = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost"
        with (
            current_app.test_request_context(base_url=base_url),
            Session(get_engine(), expire_on_commit=False) as session,
        ):
            mails = send_reminders(session, now())
            session.commit()
        result = deliver_all()
        click.echo(
            f"Herinneringen: {mails} mail(s) klaargezet. "
            f"Verstuurd: {result.sent}, mislukt (later opnieuw): {result.failed}."
        )
