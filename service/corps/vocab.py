"""The corps' fixed vocabularies (contract values): their Danish labels live in `vocabulary`."""

from vocabulary import corps

GENDERS = corps.GENDERS
EMPLOYMENT = corps.EMPLOYMENT
BACKGROUND_AREAS = corps.BACKGROUND_AREAS
TARGET_GROUPS = corps.TARGET_GROUPS
ROLES = corps.FOCUS_ROLES  # the mentor's four roles (handbook p. 10)
ROLE_AREAS = corps.ROLE_AREAS
LANGUAGES = corps.LANGUAGES
ABSENCE_KINDS = corps.ABSENCE_KINDS
LEGAL_BASES = corps.LEGAL_BASES
TASKS_CAN = corps.TASKS_CAN
TASKS_CANNOT = corps.TASKS_CANNOT
STATUSES = corps.REFERRAL_STATUSES
OUTCOMES = corps.OUTCOMES
CONTACT_CATEGORIES = corps.CONTACT_CATEGORIES
