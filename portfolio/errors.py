"""Errors as clear Dutch pages (or htmx fragments); never a stack trace, never a blank 500."""

from __future__ import annotations

import logging

from flask import Flask, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portfolio.domain.errors import DomainError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        "Ongeldige aanvraag",
        "De gegevens konden niet verwerkt worden. Controleer wat je invulde.",
    ),
    401: ("Niet aangemeld", "Meld je aan om deze pagina te bekijken."),
    403: ("Geen toegang", "Je hebt geen toegang tot deze pagina of actie."),
    404: ("Niet gevonden", "Deze pagina of dit onderdeel bestaat niet (meer)."),
    405: ("Dat kan niet", "Deze actie is hier niet mogelijk."),
    409: ("Conflict", "Iemand anders wijzigde dit intussen. Laad de pagina opnieuw."),
    413: ("Bestand te groot", "Het bestand is groter dan toegelaten."),
    422: ("Niet bewaard", "Controleer wat je invulde."),
    429: ("Even geduld", "Te veel pogingen na elkaar. Probeer het over een minuut opnieuw."),
    500: (
        "Er liep iets mis",
        "Er ging iets mis aan onze kant. Je werk van vóór deze actie is "
        "bewaard. Probeer het opnieuw of meld het aan de stagecoördinator.",
    ),
}


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def render_error(
    status: int, message: str | None = None, title: str | None = None, *, drafts_hint: bool = False
):
    """Render a full error page, or for htmx an alert retargeted to the message region.

    drafts_hint: add the line saying the typed text is kept on this device; drafts.js shows
    it only when it really kept a draft of the form just sent.
    """
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    title = title or default_title
    message = message or default_message
    if is_htmx():
        response = make_response(
            render_template(
                "partials/_alert.html",
                title=title,
                message=message,
                level="error",
                drafts_hint=drafts_hint,
            ),
            status,
        )
        # Errors land in the page's message region, whatever the element asked for.
        response.headers["HX-Retarget"] = "#meldingen"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    page = render_template(
        "error.html", title=title, message=message, status=status, drafts_hint=drafts_hint
    )
    return page, status


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        return render_error(error.status, error.message, error.title)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            "Je sessie is verlopen of het formulier is te oud, dus wat je verstuurde is niet "
            "bewaard. Open het formulier opnieuw (meld je zo nodig eerst opnieuw aan).",
            "Formulier verlopen",
            drafts_hint=True,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # Werkzeug's descriptions are English; Dutch explanations travel as DomainError.
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
