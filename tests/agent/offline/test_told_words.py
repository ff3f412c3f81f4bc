"""What a broker tells beside an order is kept, and only what they said is written (issue #10):
a client named by a common word, a place taken off by a phrasal verb, wishes that describe a
home, and a reaction that names a place rather than a listing shown. Clock: Tue 2026-03-10."""

from __future__ import annotations

import re

import pytest

from agent.context import UNCERTAIN
from agent.offline.criteria import wishes
from agent.offline.dialogue import PENDING
from agent.offline.extract import note_extractor
from agent.offline.frames import Segment, Turn
from agent.offline.lexicon import Lexicon
from agent.offline.slots import extract_slots
from crm_store.context import Actor
from tests.agent.offline.turns import calls as _calls
from tests.agent.offline.turns import turns as _turns
from tests.conftest import TUESDAY_9AM

LEXICON = Lexicon(
    contacts={"c-1": "Mark Evans", "c-2": "Michael Brown", "c-3": "Ivan Petrov", "c-4": "Bill Hart"}
)


def _people(text: str) -> list[str]:
    slots = extract_slots(text, now=TUESDAY_9AM, lexicon=LEXICON)
    return [text[a:b] for a, b in (p.span for p in slots.people())]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("mark evans called — paphos is too far", "mark evans"),
        ("michael brown again - the pool isnt a must anymore", "michael brown"),
        ("mark's meeting is moved", "mark"),
    ],
)
def test_a_common_word_beside_the_rest_of_a_clients_name_is_that_name(text, name):
    assert _people(text)[:1] == [name]


@pytest.mark.parametrize("text", ["mark ivan petrov's call as done", "bill ivan petrov today"])
def test_a_common_word_before_another_clients_name_stays_a_word(text):
    assert _people(text) == ["ivan petrov"]


def _wish(text: str) -> str | None:
    slots = extract_slots(text, now=TUESDAY_9AM, lexicon=LEXICON)
    language = "ru" if re.search("[а-я]", text) else "en"
    turn = Turn(slots, LEXICON, TUESDAY_9AM, language, Actor(broker_id="b-1", role="broker"))
    return wishes(turn, Segment((0, len(text)), "save_buyer_request", 0.0))


@pytest.mark.parametrize(
    "text",
    [
        "mark evans: take paphos off, he wants limassol only from now on",
        "Ivan Petrov wants a 2nd look at the flat too before deciding",
        "Ivan Petrov came by the office, wants 3 bedrooms",
        "Иван Петров говорят почти готовы, бюджет 500к",
        "Ivan Petrov is paying from selling his house in munich, budget 500k",
    ],
)
def test_words_that_describe_no_home_are_no_wish(text):
    assert _wish(text) is None


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("Ivan Petrov wants 3 bedrooms, near the sea", "near the sea"),
        ("Иван Петров ищет трёшку, поближе к морю", "поближе к морю"),
        ("Ivan Petrov: 2 bed in Limassol, something newer with a big kitchen",
         "something newer with a big kitchen"),
    ],
)  # fmt: skip
def test_words_that_describe_a_home_are_a_wish(text, wish):
    assert _wish(text) == wish


def test_a_place_taken_off_with_a_phrasal_verb_leaves_the_search(brokerage):
    [(name, args)] = _calls(
        _turns(brokerage, "Ivan Petrov: take paphos off, he wants limassol only from now on")[0]
    )
    assert name == "save_buyer_request" and args["cities"] == ["Limassol"]


def test_a_reaction_to_a_place_is_no_feedback_on_a_listing_there(brokerage):
    """No showing is told, and Paphos only names where two listings are: nothing was shown."""
    facts = note_extractor(brokerage.backend)(
        brokerage.actors["anna"],
        "Ivan Petrov called - paphos is too far from the airport for his wife's job, they want "
        "larnaca as well now",
    )
    assert facts is not None and facts.showing is None


def test_a_reaction_with_no_showing_told_records_no_showing(brokerage):
    """No showing is told and none is on record: the reaction stays in the note, no visit is
    made up for it."""
    facts = note_extractor(brokerage.backend)(
        brokerage.actors["anna"], "Ivan Petrov called, he didn't like the villa in Peyia at all"
    )
    assert facts is None or facts.showing is None


@pytest.mark.parametrize(
    "text",
    [
        "Ivan Petrov again - private pool isnt a must anymore, communal is fine if the villa is "
        "right, they'd still prefer private. they'd also look at townhouses now",
        "just got off the phone w ivan petrov - they want 3 bedrooms now, budget goes up to 550k "
        "and sea view is a must now (wife insists)",
    ],
)
def test_a_change_told_with_more_than_the_change_keeps_the_words_as_a_note(brokerage, text):
    names = [name for name, _ in _calls(_turns(brokerage, text)[0])]
    assert names[0] == "log_note" and "save_buyer_request" in names


def test_a_short_criteria_order_is_no_note(brokerage):
    names = [name for name, _ in _calls(_turns(brokerage, "Ivan Petrov: 3 bed, up to 550k")[0])]
    assert names == ["save_buyer_request"]


@pytest.mark.parametrize(
    "text",
    [
        "notes from the call with Andreas Georgiou — happy with the interest, but wants the "
        "peyia villa down to 800k to move it faster",
        "итоги звонка с Andreas Georgiou: виллу в Пейе готов выставить за 800 тыс, документы ок",
        "поговорил с Andreas Georgiou по вилле. хочет выставлять за 800, а не за 850 как раньше",
    ],
)
def test_the_price_a_seller_names_for_their_listing_is_read(brokerage, text):
    facts = note_extractor(brokerage.backend)(brokerage.actors["anna"], text)
    assert facts is not None and facts.price is not None
    assert (facts.price.listing, facts.price.price) == (brokerage.ids["olympion"], 800000)


@pytest.mark.parametrize(
    "text",
    [
        "поговорил с Andreas Georgiou. хочет выставлять виллу за 800 в апреле",
        "Andreas Georgiou called, he wants to sign the agreement next week",
    ],
)
def test_a_stage_the_client_only_wants_is_no_move(brokerage, text):
    names = [name for name, _ in _calls(_turns(brokerage, text)[0])]
    assert names[:1] == ["log_note"] and "move_stage" not in names


def _meeting_on_thursday(brokerage) -> None:
    from datetime import timedelta

    from crm_store.models import Broker, Contact
    from tests.factories import make_follow_up

    actor = brokerage.actors["anna"]
    with brokerage.backend.unit_of_work(actor) as ctx:
        anna = ctx.session.get(Broker, actor.broker_id)
        andreas = ctx.session.query(Contact).filter_by(full_name="Andreas Georgiou").one()
        assert anna is not None
        make_follow_up(
            ctx, owner=anna, contact=andreas, channel="meeting",
            due_at=ctx.clock.now() + timedelta(days=2, hours=1),
        )  # fmt: skip


def test_a_call_told_completes_no_meeting_still_ahead(brokerage):
    _meeting_on_thursday(brokerage)
    text = "spoke with Andreas Georgiou about the villa, all fine. we meet thursday as agreed"
    names = [name for name, _ in _calls(_turns(brokerage, text)[0])]
    assert names[:1] == ["log_note"] and "complete_follow_up" not in names


def test_a_completion_read_back_names_the_one_follow_up_it_completes(brokerage):
    [reply] = _turns(
        brokerage, "called Maria Ivanova, she is thinking it over, her husband is away in Moscow"
    )
    [args] = [a for name, a in _calls(reply) if name == "complete_follow_up"]
    from crm_store.models import Contact, FollowUp

    with brokerage.backend.unit_of_work(brokerage.actors["anna"]) as ctx:
        maria = ctx.session.query(Contact).filter_by(full_name="Maria Ivanova").one()
        [planned] = ctx.session.query(FollowUp).filter_by(contact=maria.id, status="open").all()
        assert args["follow_up"] == planned.id  # pinned: a reminder added later cannot blur it


def test_a_withdrawal_told_after_a_call_is_proposed_and_completes_nothing(brokerage):
    [reply] = _turns(
        brokerage,
        "Andreas Georgiou called, hes changed his mind and is taking the peyia villa off the "
        "market, his son is moving in there after all",
    )
    calls = _calls(reply)
    assert [name for name, _ in calls] == ["log_note", "move_stage"]
    assert calls[1][1]["to_stage"] == "withdrawn" and calls[1][1]["reason"] == "changed_mind"
    assert set(reply.additional_kwargs[UNCERTAIN]) == {reply.tool_calls[1]["id"]}


def test_a_listing_the_seller_sold_themselves_is_withdrawn_and_named_among_theirs(brokerage):
    [reply] = _turns(
        brokerage,
        "Nikos Christodoulou rang, he sold the larnaca house himself to his cousin, so we are "
        "off that one",
    )
    [(_, args)] = [c for c in _calls(reply) if c[0] == "move_stage"]
    assert args["to_stage"] == "withdrawn" and args["reason"] == "sold_independently"
    with brokerage.backend.unit_of_work(brokerage.actors["anna"]) as ctx:
        from crm_store.models import Listing

        house = ctx.session.query(Listing).filter_by(address="3 Makariou Ave").one()
        assert args["deal"] == house.id


def test_what_a_seller_wants_for_their_listing_opens_no_search(brokerage):
    [reply] = _turns(
        brokerage,
        "call w Andreas Georgiou: he wants to list the villa at 875k instead of 850, says the "
        "neighbour's went for 900. i'll email him the updated agreement tmrw",
    )
    assert "save_buyer_request" not in [name for name, _ in _calls(reply)]


@pytest.mark.parametrize(
    "text",
    [
        "note: Ivan Petrov happy with the purchase, will recommend us. his brother is looking "
        "for something in paphos too, will send the contact later",
        "заметка: Иван Петров доволен покупкой. брат его вроде тоже ищет что-то в пафосе",
    ],
)
def test_someone_elses_search_is_not_the_clients(brokerage, text):
    facts = note_extractor(brokerage.backend)(brokerage.actors["anna"], text)
    assert facts is None or facts.criteria is None


def test_a_showing_to_a_buyer_named_after_the_seller_is_the_buyers_note(brokerage):
    [reply] = _turns(
        brokerage,
        "по показу у Andreas Georgiou: вчера в 18:00 показал виллу в Пейе Ивану Петрову, ему не "
        "понравилось — далеко от моря",
    )
    [(name, args), *_] = _calls(reply)
    assert (name, args["contact"]) == ("log_note", "Ivan Petrov")


def test_taking_a_couple_to_a_listing_is_a_showing(brokerage):
    facts = note_extractor(brokerage.backend)(
        brokerage.actors["anna"],
        "took ivan petrov and his wife to the villa in peyia yesterday evening. wife loved the "
        "garden",
    )
    assert facts is not None and facts.showing is not None
    assert [r.reaction for r in facts.showing.reactions] == ["liked"]


@pytest.mark.parametrize(
    ("text", "must", "wished"),
    [
        ("for ivan petrov a pool would be nice, not a must", [], "pool"),
        ("ivan petrov wants sea view, nice to have not a must", [], "sea view"),
        ("ivan petrov: pool would be nice, parking is a must", ["parking"], "pool"),
        ("Иван Петров: обязательно парковка, а бассейн желательно", ["parking"], "бассейн"),
    ],
)
def test_a_feature_said_as_nice_to_have_is_a_wish_never_a_must(brokerage, text, must, wished):
    [(name, args)] = _calls(_turns(brokerage, text)[0])
    assert name == "save_buyer_request" and args.get("must_haves", []) == must
    assert args["wishes"].endswith(wished)


def test_a_call_told_with_its_next_one_is_proposed_and_kept_as_a_note(brokerage):
    [reply] = _turns(
        brokerage,
        "созвонился с Марией Ивановой, муж согласен поднять бюджет до 600к. набери ей в чт в 15",
    )
    calls = _calls(reply)
    assert calls[0][0] == "log_note"
    [done] = [c for c in reply.tool_calls if c["name"] == "complete_follow_up"]
    assert done["id"] in reply.additional_kwargs[UNCERTAIN]  # told, so read back first
    assert done["args"]["next_due_at"] == "2026-03-12T15:00"


def test_a_place_told_in_a_note_adds_to_the_search(brokerage):
    from crm_store.models import BuyerRequest, Contact

    with brokerage.backend.unit_of_work(brokerage.actors["anna"]) as ctx:
        ivan = ctx.session.query(Contact).filter_by(full_name="Ivan Petrov").one()
        request = ctx.session.query(BuyerRequest).filter_by(buyer=ivan.id).one()
        request.cities, request.districts = ["Limassol"], ["Germasogeia"]
    facts = note_extractor(brokerage.backend)(
        brokerage.actors["anna"], "говорил с Иваном Петровым, теперь смотрят еще агиос тихонас"
    )
    assert facts is not None and facts.criteria is not None
    assert facts.criteria.districts == ["Germasogeia", "Agios Tychonas"]


def test_a_move_to_a_day_alone_keeps_the_time(brokerage):
    [(name, args)] = _calls(_turns(brokerage, "move maria ivanova's call to thursday")[0])
    assert (name, args["due_at"]) == ("reschedule_follow_up", "2026-03-12")


@pytest.mark.parametrize(("verb", "status"), [("отмени встречу", "cancelled")])
def test_an_appointment_named_by_its_id_is_the_one_cancelled(brokerage, verb, status):
    from crm_store.models import Appointment

    with brokerage.backend.unit_of_work(brokerage.actors["anna"]) as ctx:
        [visit] = ctx.session.query(Appointment).all()
    [(name, args)] = _calls(_turns(brokerage, f"{verb} {visit.id}")[0])
    assert (name, args) == ("record_appointment", {"appointment": visit.id, "status": status})


def test_a_cancellation_on_a_day_with_nothing_planned_is_read_back(brokerage):
    [reply] = _turns(brokerage, "cancel my friday call with maria ivanova")  # hers is tomorrow
    [call] = reply.tool_calls
    assert call["name"] == "cancel_follow_up" and call["id"] in reply.additional_kwargs[UNCERTAIN]


def test_the_answer_to_why_back_a_stage_is_the_reason_not_a_new_search(brokerage):
    _, second = _turns(
        brokerage,
        "move Sofia Papadopoulou back to demand research",
        "they want to rethink the area, maybe limassol instead of paphos",
    )
    [(name, args)] = _calls(second)
    assert (name, args["to_stage"]) == ("move_stage", "demand_research")
    assert args["reason"].startswith("they want to rethink the area")


def _andreas_buys_too(brokerage) -> None:
    from crm_store.models import Broker, Contact
    from tests.factories import make_buyer_request

    actor = brokerage.actors["anna"]
    with brokerage.backend.unit_of_work(actor) as ctx:
        anna = ctx.session.get(Broker, actor.broker_id)
        andreas = ctx.session.query(Contact).filter_by(full_name="Andreas Georgiou").one()
        assert anna is not None
        make_buyer_request(ctx, owner=anna, buyer=andreas, stage="qualification")


def test_the_price_of_a_home_of_a_client_who_also_buys_is_the_listings(brokerage):
    _andreas_buys_too(brokerage)
    [(name, args)] = _calls(
        _turns(brokerage, "и цену виллы Andreas Georgiou в Пейе поставь 800к")[0]
    )
    assert (name, args) == ("save_listing", {"listing": brokerage.ids["olympion"], "price": 800000})


def test_a_percent_off_the_price_is_no_commission_and_the_price_is_asked(brokerage):
    [reply] = _turns(brokerage, "Andreas Georgiou согласился скинуть 5%, снизь цену на его виллу")
    assert "commission_pct" not in str(reply.tool_calls)
    assert reply.additional_kwargs[PENDING]["missing"] == "price"


def test_a_zero_padded_clock_time_is_the_morning(brokerage):
    [(_, args)] = _calls(_turns(brokerage, "remind me to call ivan petrov tomorrow at 08:00")[0])
    assert args["due_at"] == "2026-03-11T08:00"
    [reply] = _turns(brokerage, "remind me to call ivan petrov today at 08:00")
    assert all(c["args"].get("due_at") != "2026-03-10T20:00" for c in reply.tool_calls)


def test_a_name_given_as_the_answer_is_the_whole_name(brokerage):
    _, second = _turns(brokerage, "new client, +357 99 555666", "Mark Jenkins")
    assert _calls(second) == [
        ("register_contact", {"full_name": "Mark Jenkins", "phones": ["+35799555666"]})
    ]


def test_a_new_client_whose_first_name_is_a_verb_is_registered_by_it(brokerage):
    [(name, args)] = _calls(
        _turns(brokerage, "new client mark jenkins +357 99 555667, 2 bed in limassol up to 350k")[0]
    )
    assert (name, args["full_name"]) == ("register_contact", "Mark Jenkins")


def test_a_client_named_in_lower_case_in_full_is_that_client(brokerage):
    from crm_store.models import Broker
    from tests.factories import make_contact

    actor = brokerage.actors["anna"]
    with brokerage.backend.unit_of_work(actor) as ctx:
        anna = ctx.session.get(Broker, actor.broker_id)
        assert anna is not None
        for name in ("Ivan Romanov", "Pavel Romanov", "Ivan Sokolov"):  # Ivans and Romanovs
            make_contact(ctx, owner=anna, full_name=name)
    [(_, args)] = _calls(_turns(brokerage, "что по ивану петрову?")[0])
    assert args["client"] == "Ivan Petrov"
    [reply] = _turns(brokerage, "иван романов перезвонил, бюджет тот же")  # not "which Ivan?"
    assert _calls(reply)[0] == ("log_note", {"text": reply.tool_calls[0]["args"]["text"],
                                            "contact": "Ivan Romanov"})  # fmt: skip


def test_a_kind_of_home_no_longer_searched_leaves_the_search(brokerage):
    [(name, args)] = _calls(
        _turns(brokerage, "Иван Петров: таунхаус больше не ищут, теперь только квартиры")[0]
    )
    assert name == "save_buyer_request" and args["property_types"] == ["apartment"]


# --- the review of this change (each a write the broker did not say) ----------------------


def test_a_budget_of_a_client_who_also_sells_stays_a_budget(brokerage):
    _andreas_buys_too(brokerage)
    [(name, _)] = _calls(_turns(brokerage, "Andreas Georgiou now wants villas up to 900k price")[0])
    assert name == "save_buyer_request"


@pytest.mark.parametrize(
    ("text", "must"),
    [
        ("ivan petrov: sea view is a must, ideally 4 bedrooms", ["sea_view"]),
        ("ivan petrov - parking would be nice and sea view is still a must", ["sea_view"]),
        ("Иван Петров: бассейн желательно и парковка обязательно", ["parking"]),
    ],
)
def test_a_must_said_beside_a_wish_stays_a_must(brokerage, text, must):
    [(_, args)] = _calls(_turns(brokerage, text)[0])
    assert args["must_haves"] == must


def test_a_new_order_about_another_client_is_no_reason(brokerage):
    _, second = _turns(
        brokerage,
        "move Sofia Papadopoulou back to demand research",
        "also ivan petrov is now looking in paphos",
    )
    names = [(name, args.get("buyer") or args.get("deal")) for name, args in _calls(second)]
    assert ("move_stage", "Sofia Papadopoulou") not in names


def test_a_cancellation_on_another_day_than_the_call_it_fits_is_read_back(brokerage):
    """Maria's call is tomorrow; 'my friday call' fits its kind but not its day."""
    [reply] = _turns(brokerage, "cancel my friday call with maria ivanova")
    [call] = reply.tool_calls
    assert call["id"] in reply.additional_kwargs[UNCERTAIN]


def test_a_sellers_price_cut_at_a_showing_is_not_the_buyers_budget(brokerage):
    facts = note_extractor(brokerage.backend)(
        brokerage.actors["anna"],
        "по показу у Andreas Georgiou: показал виллу в Пейе Ивану Петрову, ему понравилось, "
        "Andreas Georgiou готов снизить цену до 800к",
    )
    assert facts is not None and facts.criteria is None  # the 800k is Andreas's, not Ivan's


def test_a_new_buyer_described_in_common_words_is_named_nobody(brokerage):
    names = [
        name for name, _ in _calls(_turns(brokerage, "new buyer may rent first, +35799555123")[0])
    ]
    assert "register_contact" not in names


@pytest.mark.parametrize(
    "text",
    [
        "Ivan Petrov called, his son is moving in with them so they need 3 bedrooms now, budget "
        "up to 600k",
    ],
)
def test_the_household_is_the_clients_search(brokerage, text):
    facts = note_extractor(brokerage.backend)(brokerage.actors["anna"], text)
    assert facts is not None and facts.criteria is not None
    assert facts.criteria.bedrooms_min == 3


def test_a_neighbours_sale_is_no_stage_of_the_client(brokerage):
    [reply] = _turns(
        brokerage,
        "Andreas Georgiou called, his neighbour sold his flat privately for 600k, so he is keeping "
        "his price",
    )
    assert "move_stage" not in [name for name, _ in _calls(reply)]


def test_a_search_told_inside_a_call_reported_is_proposed(brokerage):
    [reply] = _turns(
        brokerage,
        "spoke to ivan petrov, they want 3 bedrooms now and budget up to 550k. wife wants sea "
        "view a must",
    )
    changes = [c for c in reply.tool_calls if c["name"] == "save_buyer_request"]
    merged = {k: v for c in changes for k, v in c["args"].items()}
    assert merged["budget_max"] == 550000 and merged["bedrooms_min"] == 3
    assert merged["must_haves"] == ["sea_view"]
    assert all(c["id"] in reply.additional_kwargs[UNCERTAIN] for c in changes)


def test_a_must_have_moved_to_the_wishes_leaves_the_must_haves(brokerage):
    [(_, args)] = _calls(
        _turns(
            brokerage,
            "Ивану Петрову добавь Пафос, а вид на море переведи из обязательных в пожелания",
        )[0]
    )
    assert "sea_view" not in args.get("must_haves", [])


def test_a_showing_of_another_listing_than_the_booked_visit_is_not_that_visit(brokerage):
    """Sidorov's booked visit holds the Peyia villa and Amathus; 'saw the penthouse' is
    another visit: proposed from the note, never the booked one marked done."""
    from crm_store.models import Listing

    with brokerage.backend.unit_of_work(brokerage.actors["anna"]) as ctx:
        penthouse = ctx.session.query(Listing).filter_by(address="Penthouse 7, 2 Potamos St").one()
    [reply] = _turns(brokerage, f"Иван Сидоров посмотрел {penthouse.id} вчера в 18:00, понравился")
    assert "record_appointment" not in [name for name, _ in _calls(reply)]
    facts = note_extractor(brokerage.backend)(
        brokerage.actors["anna"], f"Иван Сидоров посмотрел {penthouse.id} вчера в 18:00, понравился"
    )
    assert facts is not None and facts.showing is not None
    assert [r.listing for r in facts.showing.reactions] == [penthouse.id]


@pytest.mark.parametrize(
    "text",
    [
        "NB Andreas Georgiou answered my msg about the price feedback: wont go below 800k, but "
        "happy to leave the furniture. keep the asking at 850 for now",
    ],
)
def test_a_sellers_floor_is_not_the_asking_price(brokerage, text):
    [reply] = _turns(brokerage, text)
    prices = [a.get("price") for name, a in _calls(reply) if name == "save_listing"]
    assert 800000 not in prices


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("in 3 days remind me to email maria ivanova about the referral she mentioned",
         "schedule_follow_up"),
        ("Olga Smirnova signed today - the amathus flat to agreement signed", "move_stage"),
    ],
)  # fmt: skip
def test_an_order_with_a_told_word_in_it_runs_as_an_order(brokerage, text, name):
    [reply] = _turns(brokerage, text)
    calls = _calls(reply)
    assert [n for n, _ in calls] == [name]  # no note, nothing read back
    assert not reply.additional_kwargs.get(UNCERTAIN)
