"""Who is calling: a broker's personal bearer token, or nobody (401, no data)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from crm_store.context import Actor
from crm_store.services.brokers import actor_for
from crm_store.services.tokens import broker_for_token

bearer = HTTPBearer(auto_error=False)


def current_actor(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Actor:
    """The broker behind the token; anything else is 401 with no data."""
    runtime: Any = request.app.state.runtime
    token = credentials.credentials if credentials else ""
    with runtime.unit_of_work() as ctx:
        broker = broker_for_token(ctx.session, token)
        if broker is None:
            raise HTTPException(
                status_code=401,
                detail="A valid broker token is required (copilot brokers token NAME).",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return actor_for(broker, channel="http")
