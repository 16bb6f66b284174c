"""Background jobs (bulk and single portfolio exports): who asked, how far, where the result is."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from portfolio.models.base import json_field, moment_field


class JobStatus(StrEnum):
    QUEUED = "wachtend"
    RUNNING = "bezig"
    DONE = "klaar"
    FAILED = "mislukt"


class ExportJob(SQLModel, table=True):
    """One export run in the background; its ZIP is in storage until expires_at."""

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="user.id", index=True)
    title: str = Field(max_length=300)
    # The placements to export, fixed when asked (the reader's rights are checked again on run).
    placement_ids: list = json_field()
    status: str = Field(default=JobStatus.QUEUED, max_length=20, index=True)
    done: int = Field(default=0)
    total: int = Field(default=0)
    result_key: str | None = Field(default=None, max_length=300)
    result_size: int | None = Field(default=None)
    error: str = Field(default="", max_length=2000)
    created_at: datetime = moment_field(default_now=True)
    started_at: datetime | None = moment_field(nullable=True)
    finished_at: datetime | None = moment_field(nullable=True)
    expires_at: datetime | None = moment_field(nullable=True, index=True)
