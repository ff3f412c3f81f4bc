"""Intent scores over masked clauses: cues, exemplars, anchors, off-topic damping."""

from __future__ import annotations

import pytest

from agent.offline.intents import THRESHOLD, best_intent, score_intents, small_talk


@pytest.mark.parametrize(
    ("masked", "intent"),
    [
        ("remind me to call @name @date", "schedule_follow_up"),
        ("напомни позвонить @name @date", "schedule_follow_up"),
        ("@name wants a @beds in @place up to @money", "save_buyer_request"),
        ("@name ищет @beds в @place до @money", "save_buyer_request"),
        ("new client @name @phone , wants a @type in @place", "register_contact"),
        ("новый покупатель @name , хочет @type , бюджет @money", "register_contact"),
        ("move @name to @stage", "move_stage"),
        ("@name @event", "move_stage"),
        ("called @name , he wants to think", "complete_follow_up"),
        ("позвонил @name , она думает", "complete_follow_up"),
        ("перенеси звонок @name на @date", "reschedule_follow_up"),
        ("cancel the call with @name", "cancel_follow_up"),
        ("что у меня @date ?", "agenda"),
        ("book a viewing for @name of @ref @date", "book_appointment"),
        ("@name didn't show up", "record_appointment"),
        ("card for @name", "client_card"),
        ("подбери варианты для @name", "match_listings"),
        ("подборка для @name", "curated_list"),
        ("who would buy @ref", "match_buyers"),
        ("why does @ref match @name", "explain_match"),
        ("what did @name say about schools", "recall"),
        ("сколько у нас активных объектов", "pipeline_report"),
        ("@ref price drop to @money", "save_listing"),
        ("add phone @phone to @name", "update_contact"),
        ("phone number of @name", "find_contacts"),
    ],
)
def test_clause_intent(masked, intent):
    found = best_intent(masked)
    assert found is not None and found.intent == intent


def test_a_pronoun_is_a_person_anchor():
    assert best_intent("call him @date") is not None
    assert best_intent("call @date") is None


def test_an_earlier_person_anchors_a_later_clause():
    assert best_intent("call again @date") is None
    found = best_intent("call again @date", implied_person=True)
    assert found is not None and found.intent == "schedule_follow_up"


def test_off_topic_words_damp_every_intent_unless_a_known_client_is_named():
    text = "what's the weather forecast for @date"
    assert best_intent(text) is None
    assert max(s.score for s in score_intents(text, off_topic=False)) >= THRESHOLD


def test_an_explicit_registration_wins_over_the_request_it_carries():
    masked = "new client @name , wants @type with @feat in @place , budget @money , cash"
    scores = {s.intent: s.score for s in score_intents(masked)}
    assert scores["save_buyer_request"] > scores["register_contact"]
    found = best_intent(masked)
    assert found is not None and found.intent == "register_contact"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Hi", "greeting"),
        ("good morning!", "greeting"),
        ("добрый день", "greeting"),
        ("thanks a lot", "thanks"),
        ("спасибо!", "thanks"),
        ("help", "help"),
        ("что ты умеешь?", "help"),
        ("hi, call Ivan tomorrow", None),
    ],
)
def test_small_talk(text, kind):
    assert small_talk(text.lower()) == kind


def test_concept_cues_read_lemmas_in_any_word_order_and_case():
    for masked in (
        "which listings fit @name ?",
        "какие объекты подходят @name ?",
        "@name что-нибудь подойдёт ?",
    ):
        found = best_intent(masked)
        assert found is not None and found.intent == "match_listings", masked
    for masked in ("who is interested in @ref ?", "кто из покупателей подойдёт на @ref ?"):
        found = best_intent(masked)
        assert found is not None and found.intent == "match_buyers", masked


def test_a_russian_verb_in_the_past_reports_a_contact_done():
    from agent.offline.concepts import lemmas

    assert {"набрать", "набрать#past"} <= lemmas("набрал @name")
    assert "набрать#past" not in lemmas("набери @name")
    found = best_intent("набрал @name , он в отъезде")
    assert found is not None and found.intent == "complete_follow_up"


def test_a_question_about_a_deal_is_not_an_order_to_move_it():
    found = best_intent("anything @event for @name ?")
    assert found is not None and found.intent == "match_listings"
