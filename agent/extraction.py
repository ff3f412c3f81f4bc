"""Note extraction by the configured model: structured output from a hosted model, or the
offline extractor — the note is stored before either runs, so a failure loses nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable

from agent.models import ModelConfig, make_openai_chat
from crm_store.context import Actor
from crm_store.services.note_facts import NoteFacts
from prompts.extraction import NOTE_EXTRACTION_PROMPT
from tools.deps import Backend

log = logging.getLogger(__name__)

NoteExtractor = Callable[[Actor, str], NoteFacts | None]


def make_note_extractor(config: ModelConfig, backend: Backend) -> NoteExtractor:
    """The extractor that goes with `config`'s model; hosted ones fall back to offline rules."""
    from agent.offline.extract import note_extractor

    offline = note_extractor(backend)
    if not config.name.startswith("openai:"):
        return offline
    structured = make_openai_chat(config).with_structured_output(NoteFacts)

    def hosted(actor: Actor, text: str) -> NoteFacts | None:
        now = backend.clock.now().astimezone(actor.tz)
        prompt = NOTE_EXTRACTION_PROMPT.format(now=now.isoformat(), timezone=actor.timezone)
        try:
            facts = structured.invoke([("system", prompt), ("human", text)])
        except Exception:
            log.exception("hosted note extraction failed; using the offline extractor")
            return offline(actor, text)
        return facts if isinstance(facts, NoteFacts) else None

    return hosted
