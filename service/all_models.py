"""Import every table so that `metadata` knows the whole schema (Alembic, tests)."""

from logbook.models import (  # noqa: F401
    LogbookEntry,
    LogbookShown,
    LogbookVersion,
    MonthApproval,
    TimeEntry,
    TrainingExpense,
)
from reports.models import RefundClaim, RefundRuleRecord  # noqa: F401
from service.audit.models import (  # noqa: F401
    AuditEvent,
    ChainGap,
    ChainHead,
    RetentionPass,
    VerifyRun,
)
from service.auth.models import LoginFailure, User, WebSession  # noqa: F401
from service.core.background import BackgroundTask  # noqa: F401
from service.core.base import metadata
from service.corps.models import (  # noqa: F401  # noqa: F401
    Absence,
    AssignmentRecord,
    Citizen,
    Contact,
    CoverAssignment,
    CrisisPlanVersion,
    MatchingWeight,
    Mentor,
    MentorAgreement,
    MentorExclusion,
    MentorRate,
    Referral,
    ReferralEvent,
    SubGoal,
)
from service.jobs.runs import JobRun  # noqa: F401
from service.notifications.models import Notification  # noqa: F401

__all__ = ["metadata"]
