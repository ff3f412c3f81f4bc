"""The held-out corpus (data/heldout_*.jsonl, see heldout.py): brokers' own phrasings, scored.

Not one assertion per utterance: the corpus measures how well the model copes with writing
it was not built from, so the test holds the rate and, without exception, safety: nothing
unclear becomes a write it was not asked for.
"""

from __future__ import annotations

from tests.agent.offline.heldout import evaluate, load_cases

MIN_RATE = 0.95


def test_the_corpus_is_large_and_two_fifths_russian():
    cases = load_cases()
    assert len(cases) >= 150
    assert sum(c.language == "ru" for c in cases) * 5 >= len(cases) * 2


def test_held_out_accuracy_and_no_write_it_was_not_asked_for(heldout_brokerage):
    report = evaluate(heldout_brokerage, load_cases())
    assert report.overall.rate >= MIN_RATE, report.text()
    assert not report.wrong_writes, [(c.text, problem) for c, problem in report.wrong_writes]
