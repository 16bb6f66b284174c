"""The placement documents that are signed, and who signs each.

The stagepakket is always there and signed by student, mentor and fixed supervisor. The
placement contract (stageovereenkomst) and the risk analysis (risicoanalyse) are optional:
the coordinator switches each on for the programme and sets which parties sign it. That
choice is kept in the Setting table, one row per document ("aan:student,mentor").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from portfolio.domain import audit
from portfolio.domain.errors import DomainError, FieldError
from portfolio.domain.kind_spec import FieldSpec, KindSpec
from portfolio.models import ItemKind, Role, Setting, User

ALL_ROLES = (Role.STUDENT, Role.MENTOR, Role.SUPERVISOR)
ROLE_NAMES = {Role.STUDENT: "student", Role.MENTOR: "mentor", Role.SUPERVISOR: "stagebegeleider"}
PARTY_WORDS = {
    Role.STUDENT: "de student",
    Role.MENTOR: "de mentor",
    Role.SUPERVISOR: "de vaste stagebegeleider",
}


@dataclass(frozen=True)
class Document:
    """A signed document: its item kind, URL slug and how the UI names it."""

    kind: str
    slug: str
    name: str  # "Stageovereenkomst"
    article: str  # "het" or "de"
    pronoun: str  # "het" or "ze": "vul het eerst in", "vul ze eerst in"
    optional: bool  # switched on per programme by the coordinator

    @property
    def noun(self) -> str:
        return self.name.lower()

    @property
    def the(self) -> str:
        """ "het stagepakket", "de stageovereenkomst"."""
        return f"{self.article} {self.noun}"

    @property
    def audit_prefix(self) -> str:
        # The stagepakket keeps its own actions; the optional documents share "document.*".
        return self.slug if not self.optional else "document"


STAGEPAKKET = Document(ItemKind.STAGEPAKKET, "stagepakket", "Stagepakket", "het", "het", False)
DOCUMENTS = {
    doc.kind: doc
    for doc in (
        STAGEPAKKET,
        Document(
            ItemKind.STAGEOVEREENKOMST, "stageovereenkomst", "Stageovereenkomst", "de", "ze", True
        ),
        Document(ItemKind.RISICOANALYSE, "risicoanalyse", "Risicoanalyse", "de", "ze", True),
    )
}
BY_SLUG = {doc.slug: doc for doc in DOCUMENTS.values()}
OPTIONAL = tuple(doc for doc in DOCUMENTS.values() if doc.optional)

DOCUMENT_SPECS = (
    KindSpec(
        ItemKind.STAGEOVEREENKOMST,
        "Stageovereenkomst",
        "De overeenkomst tussen jou, de stageplaats en de hogeschool. Vul ze hier in of laad de "
        "overeenkomst op als PDF, en bied ze dan ter ondertekening aan.",
        (
            FieldSpec(
                "tekst",
                "Inhoud van de stageovereenkomst",
                "Stageplaats, periode en stagedagen, taken en afspraken, verzekering.",
            ),
        ),
        singleton=True,
    ),
    KindSpec(
        ItemKind.RISICOANALYSE,
        "Risicoanalyse",
        "Welke risico's brengt je stage mee en welke maatregelen zijn afgesproken? Vul ze hier "
        "in of laad de risicoanalyse op als PDF, en bied ze dan ter ondertekening aan.",
        (
            FieldSpec(
                "tekst",
                "Risico's en maatregelen",
                "Bv. werkpost, gezondheidstoezicht, vaccinaties, moederschapsbescherming.",
            ),
        ),
        singleton=True,
    ),
)


@dataclass(frozen=True)
class DocumentSetting:
    enabled: bool
    roles: tuple[str, ...]


def parties_text(roles) -> str:
    """Say the signing parties: "de student, de mentor en de vaste stagebegeleider"."""
    words = [PARTY_WORDS[role] for role in ALL_ROLES if role in roles]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def _key(doc: Document) -> str:
    return f"document.{doc.slug}"


def _parse(value: str) -> DocumentSetting:
    state, _, roles = value.partition(":")
    chosen = tuple(role for role in ALL_ROLES if role in roles.split(","))
    return DocumentSetting(state == "aan" and bool(chosen), chosen or ALL_ROLES)


def document_setting(session: Session, kind: str) -> DocumentSetting:
    """Return whether this document is in use and who signs it (off for any other kind)."""
    doc = DOCUMENTS.get(kind)
    if doc is None:
        return DocumentSetting(False, ())
    if not doc.optional:
        return DocumentSetting(True, ALL_ROLES)
    row = session.get(Setting, _key(doc))
    return _parse(row.value) if row is not None else DocumentSetting(False, ALL_ROLES)


def required_roles(session: Session, kind: str) -> tuple[str, ...]:
    """Return the roles that sign this kind of item; empty when it is not signed (or off)."""
    setting = document_setting(session, kind)
    return setting.roles if setting.enabled else ()


# Built once: every portfolio page reads it.
_OPTIONAL_SETTINGS = select(Setting).where(Setting.key.in_([_key(doc) for doc in OPTIONAL]))


def switched_off_kinds(session: Session) -> frozenset[str]:
    """Return the optional documents the programme does not use (hidden, and refused)."""
    values = {row.key: row.value for row in session.exec(_OPTIONAL_SETTINGS)}
    return frozenset(
        doc.kind for doc in OPTIONAL if not _parse(values.get(_key(doc), "uit:")).enabled
    )


def require_enabled(session: Session, kind: str) -> None:
    """Refuse (404) a document the coordinator has not switched on."""
    doc = DOCUMENTS.get(kind)
    if doc is not None and doc.optional and not document_setting(session, kind).enabled:
        raise DomainError(f"De opleiding gebruikt geen {doc.noun} in het portfolio.", status=404)


def set_document(
    session: Session, kind: str, *, enabled: bool, roles, actor: User
) -> DocumentSetting:
    """Switch an optional document on or off and set who signs it (coordinator)."""
    doc = DOCUMENTS.get(kind)
    if doc is None or not doc.optional:
        raise DomainError("Dit document kan je niet aan- of uitzetten.", status=404)
    chosen = tuple(role for role in ALL_ROLES if role in set(roles))
    if not chosen or len(chosen) != len(set(roles)):
        raise FieldError(f"Wie ondertekent de {doc.noun}? Kies minstens één partij.", field="roles")
    value = f"{'aan' if enabled else 'uit'}:{','.join(chosen)}"
    row = session.get(Setting, _key(doc)) or Setting(key=_key(doc), value="")
    if row.value != value:
        row.value = value
        session.add(row)
        audit.record(
            session,
            actor=actor,
            action="document.settings",
            document=doc.slug,
            enabled=enabled,
            roles=", ".join(ROLE_NAMES[role] for role in chosen),
        )
    return DocumentSetting(enabled, chosen)
