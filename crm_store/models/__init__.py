"""Every table of the store, importable from one place (Alembic reads `Base.metadata`)."""

from crm_store.models.activities import Appointment, FollowUp, Note
from crm_store.models.audit import ApiToken, AuditEntry, IdCounter
from crm_store.models.base import Base
from crm_store.models.deals import BuyerRequest, Listing, StageChange
from crm_store.models.outputs import CuratedList, Notification, Plan, Proposal
from crm_store.models.people import Broker, Contact

__all__ = [
    "ApiToken",
    "Appointment",
    "AuditEntry",
    "Base",
    "Broker",
    "BuyerRequest",
    "Contact",
    "CuratedList",
    "FollowUp",
    "IdCounter",
    "Listing",
    "Note",
    "Notification",
    "Plan",
    "Proposal",
    "StageChange",
]
