"""Which wishes the English-only default model can weigh."""

from __future__ import annotations

from memory.documents import judgeable_clauses


def test_russian_wishes_count_only_through_recognised_vocabulary():
    kept = judgeable_clauses(
        ["большая терраса", "рядом со школой", "в Гермасойе", "quiet street", "с видом на море"]
    )
    texts = [clause.text for clause in kept]
    assert texts == ["рядом со школой", "в Гермасойе", "quiet street", "с видом на море"]
