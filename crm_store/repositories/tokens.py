"""SQL for API tokens."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from crm_store.models import ApiToken


def active_token(session: Session, token_hash: str) -> ApiToken | None:
    query = select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked.is_(False))
    return session.execute(query).scalar_one_or_none()


def revoke_all(session: Session, broker_id: str) -> int:
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.broker == broker_id, ApiToken.revoked.is_(False))
        .values(revoked=True)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
