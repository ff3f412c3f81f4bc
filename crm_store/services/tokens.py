"""Personal API tokens: shown once when issued, kept only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.orm import Session

from crm_store.context import Ctx
from crm_store.models import ApiToken, Broker
from crm_store.repositories import tokens as token_repo
from crm_store.repositories.base import record


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(ctx: Ctx, *, broker: Broker) -> str:
    """A new token for `broker`; earlier tokens keep working until revoked."""
    token = "bc_" + secrets.token_urlsafe(32)
    ctx.session.add(ApiToken(token_hash=_digest(token), broker=broker.id, created_at=ctx.now()))
    ctx.session.flush()
    record(ctx, action="issue_token", entity="brokers", entity_id=broker.id)
    return token


def broker_for_token(session: Session, token: str) -> Broker | None:
    """The active broker a presented token belongs to, or None (revoked, unknown, inactive)."""
    if not token:
        return None
    row = token_repo.active_token(session, _digest(token))
    if row is None:
        return None
    broker = session.get(Broker, row.broker)
    return broker if broker is not None and broker.active else None


def revoke_tokens(ctx: Ctx, *, broker: Broker) -> int:
    """Revoke every token of `broker` (a lost phone, a leaver)."""
    count = token_repo.revoke_all(ctx.session, broker.id)
    record(ctx, action="revoke_tokens", entity="brokers", entity_id=broker.id)
    return count
