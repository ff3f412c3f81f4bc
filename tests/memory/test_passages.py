"""Cutting descriptions into passages and wishes into clauses; the words overlap uses."""

from __future__ import annotations

from memory.passages import content_words, split_passages, split_wishes, stem


def test_a_long_description_becomes_sentences_so_one_fact_stands_alone() -> None:
    text = (
        "Bright apartment on the third floor. The kitchen was renovated in 2023! "
        "A wood-burning fireplace warms the living room; parking is included."
    )
    passages = split_passages(text)
    assert "A wood-burning fireplace warms the living room;" in passages
    assert len(passages) == 4


def test_glued_ad_sentences_and_bullets_are_split() -> None:
    text = "At 855 Hinman Avenue, ILMonthly rates from $1320We have units with:-- Pool- Gym"
    passages = split_passages(text)
    assert any(p.startswith("Monthly rates") for p in passages)
    assert any(p.startswith("We have units") for p in passages)


def test_very_long_sentences_are_cut_into_overlapping_windows() -> None:
    words = [f"w{i}" for i in range(100)]
    passages = split_passages(" ".join(words))
    assert len(passages) > 2
    assert all(len(p.split()) <= 40 for p in passages)
    assert "w39 w40" in " ".join(passages[1:])  # the cut is covered by the next window


def test_wishes_split_into_clauses_but_washer_and_dryer_stays_one() -> None:
    clauses = split_wishes(
        "Quiet street, close to schools and a fireplace would be nice; washer and dryer"
    )
    assert clauses == [
        "Quiet street",
        "close to schools",
        "a fireplace would be nice",
        "washer and dryer",
    ]


def test_russian_wishes_split_on_features() -> None:
    assert split_wishes("Тихий район, рядом со школой и бассейн") == [
        "Тихий район",
        "рядом со школой",
        "бассейн",
    ]


def test_stems_bring_word_forms_together() -> None:
    assert stem("parking") == stem("parked") == "park"
    assert stem("fireplaces") == stem("fireplace")
    assert stem("бассейном") == stem("бассейн")
    assert content_words("Somewhere to park my car") == {"somewhere", "park", "car"}
