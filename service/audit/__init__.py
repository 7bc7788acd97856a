"""The audit trail and the hash chains that make it, and the logbook's versions, tamper-evident."""

# Wherever the audit trail is in use, the chain writer is installed (service/audit/chain.py).
from service.audit import chain  # noqa: F401
