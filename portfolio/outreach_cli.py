"""Commands for cron: deliver the mail outbox, send the hourly reminders."""

from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask) -> None:
    @app.cli.command("send-mail")
    def send_mail_command():
        """Send every due mail in the outbox (failures are retried later with backoff)."""
        from portfolio.outbox import deliver_all

        result = deliver_all()
        click.echo(f"Verstuurd: {result.sent}, mislukt (later opnieuw): {result.failed}.")
