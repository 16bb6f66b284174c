"""All tables, imported in one place so SQLModel.metadata (and Alembic) sees them."""

from portfolio.models.items import Item, ItemKind, ItemVersion, Signature, SignedVersion, Upload
from portfolio.models.jobs import ExportJob, JobStatus
from portfolio.models.outreach import MailOptOut, Notice, OutboxMail, ReminderSent
from portfolio.models.people import MentorLink, PasswordToken, Pool, PoolMember, Role, User
from portfolio.models.placement import (
    AuditEvent,
    Context,
    DayKind,
    DeadlineExtension,
    Holiday,
    Placement,
    PlacementStatus,
    Presence,
    SemesterDefault,
    Setting,
    StageDay,
)
from portfolio.models.sessions import LoginSession
from portfolio.models.supervision import (
    Attendance,
    AttendanceStatus,
    Attitude,
    Evaluation,
    EvaluationRemark,
    EvaluationStage,
    Feedback,
    FeedbackAttitude,
    FeedbackKind,
    FeedbackReply,
    FeedbackRequest,
    GuidanceMoment,
    GuidanceNote,
    GuidanceStatus,
    GuidanceType,
    SessionTopic,
    Synthesis,
    Verdict,
    Warning,
)

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "Attitude",
    "AuditEvent",
    "Context",
    "DayKind",
    "DeadlineExtension",
    "Evaluation",
    "EvaluationRemark",
    "EvaluationStage",
    "Feedback",
    "FeedbackAttitude",
    "FeedbackKind",
    "FeedbackReply",
    "FeedbackRequest",
    "GuidanceMoment",
    "GuidanceNote",
    "GuidanceStatus",
    "GuidanceType",
    "Holiday",
    "Item",
    "ItemKind",
    "ItemVersion",
    "LoginSession",
    "MentorLink",
    "PasswordToken",
    "Placement",
    "PlacementStatus",
    "Pool",
    "PoolMember",
    "Presence",
    "Role",
    "SemesterDefault",
    "SessionTopic",
    "Setting",
    "Signature",
    "SignedVersion",
    "StageDay",
    "Synthesis",
    "Upload",
    "User",
    "Verdict",
    "Warning",
    "MailOptOut",
    "Notice",
    "OutboxMail",
    "ReminderSent",
    "ExportJob",
    "JobStatus",
]

# The iCal feed tokens (h11-offline), kept apart so the lists above stay untouched.
from portfolio.models.calendar_feed import CalendarFeed  # noqa: E402

__all__ += ["CalendarFeed"]
