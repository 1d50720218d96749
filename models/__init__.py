"""SQLAlchemy models. Nothing here imports from the packages above it."""
from models.base import db
from models.case import Case, CaseEvent, Matter
from models.chat import ChatTurn
from models.idempotency import IdempotentSubmission
from models.material import CaseMaterial, ELicence
from models.notification import Notification
from models.roster import RosterEntry
from models.staff import Staff
from models.staff_alert import StaffAlert
from models.subscription import SubscriptionGrant
from models.veteran import Veteran

__all__ = ["db", "Case", "ChatTurn", "CaseEvent", "Matter", "IdempotentSubmission", "CaseMaterial", "ELicence", "RosterEntry", "Staff", "Veteran",
           "Notification", "StaffAlert", "SubscriptionGrant"]
