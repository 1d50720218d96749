"""SQLAlchemy models. Nothing here imports from the packages above it."""
from models.base import db
from models.case import Case, CaseEvent, Matter
from models.idempotency import IdempotentSubmission
from models.roster import RosterEntry
from models.staff import Staff
from models.veteran import Veteran

__all__ = ["db", "Case", "CaseEvent", "Matter", "IdempotentSubmission", "RosterEntry", "Staff", "Veteran"]
