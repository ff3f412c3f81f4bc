"""Client memory: recall finds what clients said, only among the actor's own clients."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from crm_store.context import Ctx
from crm_store.errors import Forbidden
from crm_store.models import Contact
from memory.cache import CachedEmbedder, EmbeddingCache
from memory.embeddings import Embedder, SentenceTransformerEmbedder, Vectors, normalise_rows
from memory.passages import content_words
from memory.recall import MIN_SCORE, Memory, recall, render_memories
from memory.recall_text import query_topic, text_passages
from tests.conftest import as_broker
from tests.factories import make_appointment, make_buyer_request, make_contact, make_note
from tests.memory.conftest import Team
from tests.memory.fakes import FakeEmbedder as SmallFakeEmbedder

NICOSIA = ZoneInfo("Asia/Nicosia")


class FakeEmbedder(SmallFakeEmbedder):
    """The shared word-hashing fake, widened so unrelated words never share a bucket."""

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        out = np.zeros((len(texts), 4096), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in content_words(text) or {"∅"}:
                out[row, int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % 4096] += 1.0
        return normalise_rows(out)


IVAN_NOTE = (
    "Met Ivan and his wife at the office on Monday. They are relocating from Moscow in the "
    "summer and want to rent first. The budget is up to 500k, cash. They liked the marina "
    "area but find it too busy. He wants to be close to a good school for the two kids. "
    "Wife prefers a new building with a lift. Call back after the Easter holidays."
)


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=NICOSIA)


@pytest.fixture
def clients(ctx: Ctx, team: Team) -> dict[str, Contact]:
    """Anna's Ivan (a long note), Anna's Olga (a Russian note about a dog), Boris's Pavel."""
    ivan = make_contact(ctx, owner=team.anna, full_name="Ivan Petrov")
    olga = make_contact(ctx, owner=team.anna, full_name="Ольга Смирнова")
    pavel = make_contact(ctx, owner=team.boris, full_name="Pavel Orlov")
    make_note(ctx, author=team.anna, contact=ivan, text=IVAN_NOTE, created_at=_at(3))
    make_note(
        ctx,
        author=team.anna,
        contact=ivan,
        text="Ivan asked about the parking at the Makariou flat. Sea view is a must.",
        created_at=_at(5),
    )
    make_note(
        ctx,
        author=team.anna,
        contact=olga,
        text="Ольга ищет квартиру в Лимассоле. Переезжают с собакой, нужен небольшой сад.",
        created_at=_at(6),
    )
    make_note(
        ctx,
        author=team.boris,
        contact=pavel,
        text="Pavel has two large dogs and needs a fenced garden near a school.",
        created_at=_at(7),
    )
    return {"ivan": ivan, "olga": olga, "pavel": pavel}


def test_a_wish_hidden_in_a_long_note_is_found_with_its_date(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    anna = as_broker(ctx, team.anna)
    found = recall(
        anna,
        embedder=FakeEmbedder(),
        query="What did Ivan say about schools?",
        client_id=clients["ivan"].id,
    )
    assert found, "the school sentence must be found"
    top = found[0]
    assert "close to a good school" in top.snippet
    assert "Moscow" not in top.snippet and "lift" not in top.snippet  # one sentence, not the note
    assert top.snippet.startswith("…") and top.snippet.endswith("…")
    assert (top.kind, top.contact_name, top.at.date()) == ("note", "Ivan Petrov", date(2026, 3, 3))
    assert top.at.utcoffset() is not None
    assert all(m.contact == clients["ivan"].id for m in found)
    assert top.score >= MIN_SCORE


def test_a_dog_question_finds_a_russian_note_through_the_feature_vocabulary(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    found = recall(
        as_broker(ctx, team.anna), embedder=FakeEmbedder(), query="who wanted a place for a dog?"
    )
    assert [m.contact for m in found] == [clients["olga"].id]
    assert "собакой" in found[0].snippet


def test_across_clients_each_client_appears_once_with_the_best_passage(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    ivan = clients["ivan"]
    make_note(
        ctx, author=team.anna, contact=ivan, text="Ivan: a dog is coming too.", created_at=_at(8)
    )
    make_note(
        ctx,
        author=team.anna,
        contact=ivan,
        text="Reminder: dog friendly building.",
        created_at=_at(9),
    )
    found = recall(as_broker(ctx, team.anna), embedder=FakeEmbedder(), query="a dog")
    assert sorted(m.contact for m in found) == sorted([ivan.id, clients["olga"].id])


def test_a_broker_never_recalls_a_colleagues_clients(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    found = recall(as_broker(ctx, team.anna), embedder=FakeEmbedder(), query="fenced garden")
    assert clients["pavel"].id not in {m.contact for m in found}
    # Boris's note sits on his own client, so it is his to recall.
    found = recall(as_broker(ctx, team.boris), embedder=FakeEmbedder(), query="fenced garden")
    assert [m.contact for m in found] == [clients["pavel"].id]


def test_a_colleagues_note_on_my_client_stays_the_colleagues(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    make_note(
        ctx, author=team.boris, contact=clients["ivan"], text="Ivan keeps a parrot called Kesha."
    )
    assert recall(as_broker(ctx, team.anna), embedder=FakeEmbedder(), query="parrot") == []


def test_a_manager_recalls_the_whole_team_but_not_another_team(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    stranger = make_contact(ctx, owner=team.zoe, full_name="North Client")
    make_note(ctx, author=team.zoe, contact=stranger, text="Has a dog and three cats.")
    found = recall(as_broker(ctx, team.maria), embedder=FakeEmbedder(), query="dog")
    assert {m.contact for m in found} == {clients["olga"].id, clients["pavel"].id}


def test_a_client_of_a_colleague_cannot_be_named(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    with pytest.raises(Forbidden):
        recall(
            as_broker(ctx, team.anna),
            embedder=FakeEmbedder(),
            query="dogs",
            client_id=clients["pavel"].id,
        )


@pytest.mark.parametrize(
    "query", ["bitcoin mining rig", "quarterly tax returns", "what did Ivan say?"]
)
def test_an_unrelated_question_returns_nothing(
    ctx: Ctx, team: Team, clients: dict[str, Contact], query: str
) -> None:
    assert recall(as_broker(ctx, team.anna), embedder=FakeEmbedder(), query=query) == []


def test_showing_feedback_is_recalled_with_its_listing(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    olga = clients["olga"]
    request = make_buyer_request(ctx, owner=team.anna, buyer=olga)
    showing = make_appointment(
        ctx,
        owner=team.anna,
        contact=olga,
        deal=request,
        scheduled_at=_at(4, 16),
        status="done",
        listings=["l-9"],
        feedback=[{"listing": "l-9", "reaction": "disliked", "text": "The kitchen is too dark."}],
    )
    found = recall(
        as_broker(ctx, team.anna), embedder=FakeEmbedder(), query="dark kitchen", client_id=olga.id
    )
    assert found[0].id == showing.id
    assert (found[0].kind, found[0].listing, found[0].reaction) == ("feedback", "l-9", "disliked")


def test_a_transcript_is_searched_besides_the_note(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    note = make_note(
        ctx,
        author=team.anna,
        contact=clients["ivan"],
        text="Call with Ivan: wants a viewing on Friday.",
        transcript="Hello Anna. Yes Friday works. By the way my mother needs a ground floor flat.",
        source="voice",
    )
    found = recall(
        as_broker(ctx, team.anna),
        embedder=FakeEmbedder(),
        query="ground floor",
        client_id=clients["ivan"].id,
    )
    assert (found[0].id, found[0].kind) == (note.id, "transcript")


def test_passages_are_embedded_once_across_questions(
    ctx: Ctx, team: Team, clients: dict[str, Contact]
) -> None:
    embedder = FakeEmbedder()
    anna = as_broker(ctx, team.anna)
    recall(anna, embedder=embedder, query="schools")
    first = embedder.embedded
    recall(anna, embedder=embedder, query="a garden for the dog")
    assert first > 5
    assert embedder.embedded - first == 1  # only the new question


def test_the_question_loses_its_frame_and_the_clients_name() -> None:
    topic = query_topic("Что Ивана говорил про школу?", names=["Иван Петров"], drop_all_names=True)
    assert [c.stem for c in topic.concepts] == ["школ"]
    assert "near_schools" in topic.concepts[0].features
    assert query_topic("who wanted a place for a dog?").text == "a place for a dog"


def test_a_long_transcript_is_searched_to_its_end() -> None:
    text = " ".join(f"Sentence number {i} is about nothing much at all." for i in range(80))
    passages = text_passages(text + " Finally she mentioned a fireplace.")
    assert any("fireplace" in p for p, _ in passages)


def test_rendering_names_the_client_the_date_and_the_quote() -> None:
    memory = Memory(
        id="n-1",
        kind="note",
        contact="c-1",
        contact_name="Ivan Petrov",
        at=_at(3),
        snippet="…wants to be close to a good school…",
        score=0.9,
    )
    assert render_memories([memory], "en") == (
        "- Ivan Petrov, 3 Mar: “…wants to be close to a good school…”"
    )
    assert render_memories([memory], "ru") == (
        "- Ivan Petrov, 3 марта: «…wants to be close to a good school…»"
    )
    assert "3 Mar 2025" in render_memories(
        [Memory(**{**memory.__dict__, "at": _at(3) - timedelta(days=365)})],
        "en",
        today=date(2026, 3, 10),
    )
    feedback = Memory(
        **{**memory.__dict__, "kind": "feedback", "listing": "l-9", "reaction": "liked"}
    )
    assert "showing of l-9 (liked)" in render_memories([feedback], "en")
    assert render_memories([], "ru").startswith("В заметках")


@pytest.fixture(scope="session")
def minilm(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    cache = EmbeddingCache(tmp_path_factory.mktemp("recall-emb") / "embeddings.sqlite")
    return CachedEmbedder(SentenceTransformerEmbedder(), cache)


@pytest.mark.slow
def test_the_packaged_model_recalls_schools_dogs_and_nothing_unrelated(
    ctx: Ctx, team: Team, clients: dict[str, Contact], minilm: Embedder
) -> None:
    anna = as_broker(ctx, team.anna)
    ivan = clients["ivan"].id
    found = recall(anna, embedder=minilm, query="What did Ivan say about schools?", client_id=ivan)
    assert "close to a good school" in found[0].snippet
    # A paraphrase shares no word with the note: the dense evidence finds it.
    found = recall(anna, embedder=minilm, query="education for his children", client_id=ivan)
    assert found and "school" in found[0].snippet
    found = recall(anna, embedder=minilm, query="who wanted a place for a dog?")
    assert [m.contact for m in found] == [clients["olga"].id]
    assert recall(anna, embedder=minilm, query="bitcoin mining rig") == []
