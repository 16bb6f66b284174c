"""Everything a student writes: portfolio items, their versions, uploads and signatures."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from portfolio.models.base import json_field, moment_field


class ItemKind(StrEnum):
    """What an item is; the content keys per kind are defined in portfolio.domain.steps."""

    NULDOCUMENT = "nuldocument"  # 0-document, carried over to the next placement
    VERKENNING = "verkenning"  # verkenningsgesprek with the mentor
    BEGINSITUATIE = "beginsituatie"  # step 1
    ACTIEPUNT = "actiepunt"  # step 2, several
    AANPAK = "aanpak"  # step 3, under the timetable
    AANBOD = "aanbod"  # step 3, one planned offer (day + time), own or taken over
    AGENDA = "agenda"  # step 3, what happened on one stage day
    DENKWERK = "denkwerk"  # step 4, the design for one offer (parent_id = the offer)
    REFLECTIE = "reflectie"  # step 5, one per stage day
    ONTWERPWERK = "ontwerpwerk"  # free ideas, never evaluated
    STAGEPAKKET = "stagepakket"  # signed by student, mentor and supervisor
    # Optional, switched on per programme by the coordinator, signed by the parties it sets.
    STAGEOVEREENKOMST = "stageovereenkomst"  # the placement contract
    RISICOANALYSE = "risicoanalyse"  # the risk analysis
    LAATSTE_REFLECTIE = "laatste-reflectie"
    COACHING = "coaching"  # voorbereiding coachingsgesprek
    PRESENTATIE = "presentatie"  # slides or recording
    PRESENTATIE_ATTITUDE = "presentatie-attitude"  # growth per attitude (attitude_id)
    ZELFBEELD = "zelfbeeld"  # self-assessment per attitude before the placement (attitude_id)


LIVE_PACKAGE = "kind = 'stagepakket' AND deleted_at IS NULL"


class Item(SQLModel, table=True):
    """One portfolio item; its text lives in `content` (field name -> Markdown)."""

    __table_args__ = (
        Index("ix_item_placement_kind", "placement_id", "kind"),
        # The live stagepakketten: the dashboard's "fully signed" reads one per placement. No
        # column an autosave changes (content, version, updated_at) is in an index of items, so
        # PostgreSQL can rewrite the row in place (a HOT update: no new entry in each index).
        Index(
            "ix_item_live_package",
            "placement_id",
            "id",
            postgresql_where=text(LIVE_PACKAGE),
            sqlite_where=text(LIVE_PACKAGE),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    kind: str = Field(max_length=30)
    stage_day_id: int | None = Field(default=None, foreign_key="stageday.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    attitude_id: int | None = Field(default=None, foreign_key="attitude.id", index=True)
    day: date | None = Field(default=None, index=True)
    title: str = Field(default="", max_length=300)
    content: dict = json_field()
    position: int = Field(default=0)
    # Optimistic lock: a save names the version it started from; a mismatch is a conflict.
    version: int = Field(default=1)
    # When the item first became complete (e.g. a design with all five parts); null if not.
    completed_at: datetime | None = moment_field(nullable=True)
    created_at: datetime = moment_field(default_now=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    updated_at: datetime = moment_field(default_now=True)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id")
    deleted_at: datetime | None = moment_field(nullable=True)


class ItemVersion(SQLModel, table=True):
    """A saved state of an item: who saved it, when, and what it said."""

    # By item only: autosave merges into the latest version and changes its number, which
    # would cost an entry in an index on (item_id, version) at every save (see Item).
    __table_args__ = (Index("ix_itemversion_item_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id")
    version: int
    title: str = Field(default="", max_length=300)
    content: dict = json_field()
    saved_at: datetime = moment_field(default_now=True)
    saved_by_id: int | None = Field(default=None, foreign_key="user.id")
    restored_from: int | None = Field(default=None)  # the version number restored, if any


class Upload(SQLModel, table=True):
    """A stored file (photo, PDF, audio, video), attached to an item of a placement."""

    # A recording's upload names a key the browser chose; a retried upload with the same key
    # (the answer to the first was lost) finds this row instead of storing the file twice.
    __table_args__ = (UniqueConstraint("item_id", "client_key", name="uq_upload_item_client_key"),)

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    storage_key: str = Field(max_length=300, unique=True)
    original_name: str = Field(max_length=255)
    mime: str = Field(max_length=100)
    category: str = Field(max_length=10)  # image, pdf, audio, video
    size: int
    # SHA-256 of the stored bytes, taken while storing; a signature's hash covers it.
    sha256: str | None = Field(default=None, max_length=64)
    caption: str = Field(default="", max_length=2000)
    uploaded_by_id: int = Field(foreign_key="user.id")
    uploaded_at: datetime = moment_field(default_now=True)
    deleted_at: datetime | None = moment_field(nullable=True)
    client_key: str | None = Field(default=None, max_length=64)


class Signature(SQLModel, table=True):
    """A signature bound to the exact content signed (SHA-256 of text and attachments)."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    signer_id: int = Field(foreign_key="user.id")
    role: str = Field(max_length=20)
    content_hash: str = Field(max_length=64)
    signed_at: datetime = moment_field(default_now=True)
    # The signed version (snapshot + verification code); null for signatures from before it.
    signed_version_id: int | None = Field(default=None, foreign_key="signedversion.id")
    # Set when the student reopened the signed document: the signature no longer counts.
    voided_at: datetime | None = moment_field(nullable=True)
    voided_by_id: int | None = Field(default=None, foreign_key="user.id")


class SignedVersion(SQLModel, table=True):
    """A version of a document offered for or given signatures: a readable snapshot.

    The snapshot (title, text, the attachments' names and hashes) keeps old signed versions
    readable; `code` is printed on the document so anyone can check a paper or PDF copy.
    """

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    content_hash: str = Field(max_length=64)
    code: str = Field(max_length=20, unique=True)
    item_version: int
    title: str = Field(default="", max_length=300)
    content: dict = json_field()
    attachments: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    created_at: datetime = moment_field(default_now=True)
    requested_at: datetime | None = moment_field(nullable=True)
    requested_by_id: int | None = Field(default=None, foreign_key="user.id")
    voided_at: datetime | None = moment_field(nullable=True)
    voided_by_id: int | None = Field(default=None, foreign_key="user.id")
