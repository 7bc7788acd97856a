"""The API's coded fields: Literals built from the corps vocabularies at run time.

The API validates and documents them as enums; mypy cannot read a Literal built at run
time, so it sees plain strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from service.corps import vocab

if TYPE_CHECKING:
    Gender = str
    Language = str
    BackgroundArea = str
    TargetGroup = str
    MentorRole = str
    Employment = str
    AbsenceKind = str
    Status = str
    Outcome = str
    LegalBasis = str
    TaskCan = str
    TaskCannot = str
else:
    Gender = Literal[tuple(vocab.GENDERS)]
    Language = Literal[tuple(vocab.LANGUAGES)]
    BackgroundArea = Literal[tuple(vocab.BACKGROUND_AREAS)]
    TargetGroup = Literal[tuple(vocab.TARGET_GROUPS)]
    MentorRole = Literal[tuple(vocab.ROLES)]
    Employment = Literal[tuple(vocab.EMPLOYMENT)]
    AbsenceKind = Literal[tuple(vocab.ABSENCE_KINDS)]
    Status = Literal[tuple(vocab.STATUSES)]
    Outcome = Literal[tuple(vocab.OUTCOMES)]
    LegalBasis = Literal[tuple(vocab.LEGAL_BASES)]
    TaskCan = Literal[tuple(vocab.TASKS_CAN)]
    TaskCannot = Literal[tuple(vocab.TASKS_CANNOT)]
