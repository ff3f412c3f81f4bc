"""Client memory: what the broker's clients said, found in notes, transcripts and showing feedback.

A memory is one passage (a sentence, or a window of a long one) of a note, its transcript, or a
showing's feedback, scored against the broker's question by two kinds of evidence:

- dense: cosine between the question's topic and the passage (the configured embedder; passage
  vectors come through the content-hash cache, so each passage is embedded once), mapped to
  [0, 1] by `DENSE_FLOOR`/`DENSE_SPAN` (MiniLM puts unrelated sentences below 0.3);
- lexical: the share of the topic's words the passage contains (stems, typos by rapidfuzz), a
  word also counting (`FEATURE_CREDIT`) when the passage names a feature that word is a cue for
  ("dog" → pet_friendly ← "с собакой"). The default model is English-only, so Russian notes are
  found through this vocabulary.

score = 1 − (1 − dense)(1 − lexical). Nothing under `MIN_SCORE` is returned, nor anything under
`RELATIVE_CUT` × the best score: an unrelated question gets an empty list, not the nearest noise.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from crm_store.context import Ctx
from crm_store.repositories import people
from crm_store.repositories import recall as recall_reads
from crm_store.services.contacts import get_contact
from crm_store.services.permissions import visible_owner_ids
from memory.cache import CachedEmbedder
from memory.embeddings import Embedder
from memory.recall_text import Topic, passage_evidence, query_topic, text_passages

MIN_SCORE = 0.45
RELATIVE_CUT = 0.5
DENSE_FLOOR = 0.30
DENSE_SPAN = 0.30
MAX_NOTES = 2000  # newest notes searched (a manager's whole team stays bounded)
MAX_SHOWINGS = 2000

KINDS = ("note", "transcript", "feedback")


@dataclass(frozen=True)
class Memory:
    """One remembered passage: where it is (note or appointment id), whose, when, how relevant."""

    id: str  # note id (note, transcript) or appointment id (feedback)
    kind: str  # note | transcript | feedback
    contact: str
    contact_name: str
    at: datetime  # aware, in the acting broker's timezone
    snippet: str  # the passage, with "…" where the text goes on
    score: float
    listing: str | None = None  # feedback: the listing shown
    reaction: str | None = None  # feedback: liked | neutral | disliked


@dataclass(frozen=True)
class _Passage:
    source: str
    kind: str
    contact: str
    at: datetime
    text: str
    snippet: str
    listing: str | None = None
    reaction: str | None = None


def recall(
    ctx: Ctx, *, embedder: Embedder, query: str, client_id: str | None = None, limit: int = 5
) -> list[Memory]:
    """What the actor's clients said about `query`: one client's passages ranked, or (no client)
    the best passage of each client; only the actor's own clients (a manager: the team's)."""
    owners = visible_owner_ids(ctx)
    if client_id is not None:
        client = get_contact(ctx, contact_id=client_id)  # NotFound / Forbidden as usual
        names = {client.id: client.full_name}
    else:
        names = dict(people.contact_names(ctx.session, owners))
    topic = query_topic(query, names=names.values(), drop_all_names=client_id is not None)
    if topic.empty or not names:
        return []
    passages = _passages(ctx, owners, names, client_id)
    if not passages:
        return []
    scores = _scores(embedder, topic, passages)
    return _select(ctx, passages, scores, names, per_client=client_id is None, limit=limit)


def _passages(
    ctx: Ctx, owners: set[str] | None, names: dict[str, str], client_id: str | None
) -> list[_Passage]:
    """Every passage the actor may recall: own notes and own showings on own clients."""
    found: list[_Passage] = []
    notes = recall_reads.recent_notes(
        ctx.session, author_ids=owners, client_id=client_id, limit=MAX_NOTES
    )
    for note in notes:
        if note.client not in names:  # a colleague's client, or no client at all
            continue
        seen: set[str] = set()
        sources = [("note", note.text)]
        if note.transcript and " ".join(note.transcript.split()) != " ".join(note.text.split()):
            sources.append(("transcript", note.transcript))
        for kind, text in sources:
            for passage, snippet in text_passages(text):
                if passage.lower() not in seen:
                    seen.add(passage.lower())
                    found.append(
                        _Passage(note.id, kind, note.client, note.created_at, passage, snippet)
                    )
    showings = recall_reads.recent_showings(
        ctx.session, owner_ids=owners, client_id=client_id, limit=MAX_SHOWINGS
    )
    for showing in showings:
        if showing.client not in names:
            continue
        for item in showing.feedback:
            if not isinstance(item, dict) or not item.get("text"):
                continue
            for passage, snippet in text_passages(str(item["text"])):
                found.append(
                    _Passage(
                        showing.id,
                        "feedback",
                        showing.client,
                        showing.scheduled_at,
                        passage,
                        snippet,
                        listing=item.get("listing"),
                        reaction=item.get("reaction"),
                    )
                )
    return found


def _scores(embedder: Embedder, topic: Topic, passages: list[_Passage]) -> np.ndarray:
    texts = [p.text for p in passages]
    lexical = passage_evidence(topic, texts)
    cached = cached_embedder(embedder)
    vectors = cached.embed([topic.text, *texts])
    cosines = vectors[1:] @ vectors[0]
    dense = np.clip((cosines - DENSE_FLOOR) / DENSE_SPAN, 0.0, 1.0)
    return 1.0 - (1.0 - dense) * (1.0 - lexical)


def _select(
    ctx: Ctx,
    passages: list[_Passage],
    scores: np.ndarray,
    names: dict[str, str],
    *,
    per_client: bool,
    limit: int,
) -> list[Memory]:
    # Best first; among equals the newer passage, then the earlier one in its text.
    order = sorted(
        range(len(passages)), key=lambda i: (-float(scores[i]), -passages[i].at.timestamp(), i)
    )
    best = float(scores[order[0]]) if order else 0.0
    floor = max(MIN_SCORE, RELATIVE_CUT * best)
    chosen: list[Memory] = []
    taken: set[str] = set()
    for i in order:
        score = float(scores[i])
        if score < floor or len(chosen) >= max(1, limit):
            break
        passage = passages[i]
        key = passage.contact if per_client else f"{passage.source}|{passage.text.lower()}"
        if key in taken:
            continue
        taken.add(key)
        chosen.append(
            Memory(
                id=passage.source,
                kind=passage.kind,
                contact=passage.contact,
                contact_name=names.get(passage.contact, ""),
                at=passage.at.astimezone(ctx.actor.tz),
                snippet=passage.snippet,
                score=round(score, 4),
                listing=passage.listing,
                reaction=passage.reaction,
            )
        )
    return chosen


# One in-process cache per bare embedder, so repeated questions never re-embed the same notes.
_CACHED: weakref.WeakKeyDictionary[object, CachedEmbedder] = weakref.WeakKeyDictionary()


def cached_embedder(embedder: Embedder) -> Embedder:
    """The embedder behind a content-hash cache (the runtime's own, or one kept per process)."""
    if isinstance(embedder, CachedEmbedder):
        return embedder
    try:
        cached = _CACHED.get(embedder)
        if cached is None:
            cached = _CACHED[embedder] = CachedEmbedder(embedder, None, memory_items=50_000)
    except TypeError:  # not weak-referenceable: embed directly
        return embedder
    return cached


_MONTHS_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
_REACTIONS = {
    "en": {"liked": "liked", "neutral": "neutral", "disliked": "disliked"},
    "ru": {"liked": "понравилось", "neutral": "нейтрально", "disliked": "не понравилось"},
}


def memory_date(at: datetime, language: str = "en", *, today: date | None = None) -> str:
    """ "3 Mar" / "3 марта"; the year only when it is not this year (when `today` is known)."""
    year = f" {at.year}" if today is not None and at.year != today.year else ""
    if language == "ru":
        return f"{at.day} {_MONTHS_RU[at.month - 1]}{year}"
    return f"{at.day} {at:%b}{year}"


def render_memory(memory: Memory, language: str = "en", *, today: date | None = None) -> str:
    """Ivan Petrov, 3 Mar: “…wants to be close to a good school…”"""
    ru = language == "ru"
    head = (
        f"{memory.contact_name or memory.contact}, {memory_date(memory.at, language, today=today)}"
    )
    if memory.kind == "feedback":
        where = f"показ {memory.listing}" if ru else f"showing of {memory.listing}"
        reaction = _REACTIONS["ru" if ru else "en"].get(memory.reaction or "", "")
        head += f", {where}" + (f" ({reaction})" if reaction else "")
    elif memory.kind == "transcript":
        head += ", расшифровка" if ru else ", transcript"
    quote = f"«{memory.snippet}»" if ru else f"“{memory.snippet}”"
    return f"{head}: {quote}"


def render_memories(
    memories: list[Memory], language: str = "en", *, today: date | None = None
) -> str:
    """Memories one per line, or what to try when nothing matched."""
    if not memories:
        if language == "ru":
            return (
                "В заметках и отзывах ничего похожего нет. "
                "Попробуйте другие слова или назовите клиента."
            )
        return (
            "Nothing in your notes or showing feedback matches that. "
            "Try other words or name the client."
        )
    return "\n".join(f"- {render_memory(m, language, today=today)}" for m in memories)
