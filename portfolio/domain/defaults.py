"""The programme's defaults: attitudes and semester weekdays (domain.md, **rule**)."""

from __future__ import annotations

from sqlmodel import Session, select

from portfolio.models import Attitude, SemesterDefault

DEFAULT_ATTITUDES = [
    ("Beslissingsvermogen", "Weloverwogen keuzes maken en ze verantwoorden, ook onder druk."),
    (
        "Relationele gerichtheid",
        "Een warme, respectvolle relatie opbouwen met kinderen, ouders en collega's.",
    ),
    (
        "Kritische ingesteldheid",
        "Het eigen handelen en dat van anderen onderzoekend en kritisch bekijken.",
    ),
    ("Leergierigheid", "Nieuwsgierig zijn, zelf informatie zoeken en feedback actief gebruiken."),
    (
        "Organisatievermogen",
        "Plannen, structureren en tijd, ruimte en materiaal doelgericht inzetten.",
    ),
    (
        "Zin voor samenwerking",
        "Samen met mentor, team en ouders afstemmen en bijdragen aan het geheel.",
    ),
    (
        "Verantwoordelijkheidszin",
        "Afspraken nakomen, in orde zijn en verantwoordelijkheid opnemen.",
    ),
    ("Flexibiliteit", "Inspelen op onverwachte situaties en de eigen aanpak bijsturen."),
]

DEFAULT_SEMESTERS = [(1, "0,1,2", 20), (2, "3,4", 14)]


def ensure_defaults(session: Session) -> None:
    """Insert the default attitudes and semester weekdays when none exist yet."""
    if session.exec(select(Attitude.id).limit(1)).first() is None:
        for position, (name, description) in enumerate(DEFAULT_ATTITUDES):
            session.add(Attitude(name=name, description=description, position=position))
    for semester, weekdays, hours in DEFAULT_SEMESTERS:
        if session.get(SemesterDefault, semester) is None:
            session.add(SemesterDefault(semester=semester, weekdays=weekdays, hours_per_week=hours))
    session.flush()
