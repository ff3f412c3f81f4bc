"""`copilot serve`: the HTTP API over the same runtime the other channels use."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from channels.http.auth import current_actor
from crm_store.context import Actor
from crm_store.errors import CopilotError

log = logging.getLogger(__name__)


class ChatIn(BaseModel):
    message: str = Field(min_length=1, max_length=8000)


class ChatOut(BaseModel):
    replies: list[str]
    pending_confirmation: str | None = None


def create_app(runtime: Any) -> FastAPI:
    """The API; `runtime` is the process's app.runtime.Runtime (channels never build one)."""
    app = FastAPI(title="Broker Copilot", version="0.1.0")
    app.state.runtime = runtime

    @app.exception_handler(CopilotError)
    async def known_error(_: Request, error: CopilotError) -> JSONResponse:
        return JSONResponse(status_code=400, content={"error": error.code, "message": error.en})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        ref = uuid.uuid4().hex[:8]
        log.exception("unexpected error, ref %s", ref, exc_info=error)
        return JSONResponse(status_code=500, content={"error": "unexpected", "ref": ref})

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/chat", response_model=ChatOut)
    def chat(body: ChatIn, actor: Annotated[Actor, Depends(current_actor)]) -> ChatOut:
        reply = runtime.copilot.send(actor, channel="http", text=body.message)
        return ChatOut(replies=reply.texts, pending_confirmation=reply.pending_confirmation)

    @app.get("/api/agenda")
    def agenda(actor: Annotated[Actor, Depends(current_actor)]) -> list[dict[str, Any]]:
        from crm_store.services.agenda import agenda as standup

        with runtime.unit_of_work(actor) as ctx:
            return [
                {
                    "group": item.group,
                    "label": item.label,
                    "due_at": item.due_at.isoformat() if item.due_at else None,
                    "contact": item.contact.id if item.contact else None,
                    "deal": item.deal.id if item.deal else None,
                }
                for item in standup(ctx)
            ]

    return app
