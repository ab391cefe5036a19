"""e访通 data model: SQLAlchemy 2.0 typed declarative models, one module per domain (DESIGN.md §2).

Importing this package imports every model module, so `Base.metadata` is complete (Alembic and tests rely on it).
"""

from efangtong_core.models.access import ACCESS_EXPORT, ACCESS_VIEW, PetitionerAccess
from efangtong_core.models.agents import Agent, AgentCase, AgentEvaluation
from efangtong_core.models.analytics import PetitionDayCount, RepeaterDayCount
from efangtong_core.models.appointments import Booking, ReceptionRecord, ReceptionSession
from efangtong_core.models.attachments import Attachment
from efangtong_core.models.audit import AuditLog
from efangtong_core.models.auth import AuthSession, LoginAttempt, RefreshToken
from efangtong_core.models.base import (
    ORIGIN_KEY,
    Base,
    LocalRecord,
    Replicated,
    UtcDateTime,
    model_for_table,
    new_id,
    replicated_tables,
    utcnow,
)
from efangtong_core.models.config import DeadlineRule, Holiday, RoutingRule, SystemParameter
from efangtong_core.models.documents import DocumentTemplate
from efangtong_core.models.exchange import ExchangeBatch
from efangtong_core.models.org import Device, OrgUnit, RoleGrant, User
from efangtong_core.models.people import Petitioner, PetitionerPhone, RecordHistory
from efangtong_core.models.petitions import (
    UNIT_ROLE_CO,
    UNIT_ROLE_LEAD,
    CaseEvent,
    ContentCategory,
    Petition,
    PetitionRepresentative,
    PetitionUnit,
)
from efangtong_core.models.sms import SmsMessage, SmsTemplate, VerificationCode
from efangtong_core.models.sync import SyncOutbox, SyncReceipt, SyncSequence, SyncState
from efangtong_core.models.verification import VerificationCache
from efangtong_core.models.warnings import EarlyWarning, WarningRule

__all__ = [
    "ACCESS_EXPORT",
    "ACCESS_VIEW",
    "ORIGIN_KEY",
    "UNIT_ROLE_CO",
    "UNIT_ROLE_LEAD",
    "Agent",
    "AgentCase",
    "AgentEvaluation",
    "Attachment",
    "AuditLog",
    "AuthSession",
    "Base",
    "Booking",
    "CaseEvent",
    "ContentCategory",
    "DeadlineRule",
    "Device",
    "DocumentTemplate",
    "EarlyWarning",
    "ExchangeBatch",
    "Holiday",
    "LocalRecord",
    "LoginAttempt",
    "OrgUnit",
    "Petition",
    "PetitionDayCount",
    "PetitionRepresentative",
    "PetitionUnit",
    "Petitioner",
    "PetitionerAccess",
    "PetitionerPhone",
    "ReceptionRecord",
    "ReceptionSession",
    "RecordHistory",
    "RefreshToken",
    "RepeaterDayCount",
    "Replicated",
    "RoleGrant",
    "RoutingRule",
    "SmsMessage",
    "SmsTemplate",
    "SyncOutbox",
    "SyncReceipt",
    "SyncSequence",
    "SyncState",
    "SystemParameter",
    "User",
    "UtcDateTime",
    "VerificationCache",
    "VerificationCode",
    "WarningRule",
    "model_for_table",
    "new_id",
    "replicated_tables",
    "utcnow",
]
