"""The offline model on long messages (issue #10): 8,000 characters of padding and noise, and a
real 8,000-character dictation, each through one full offline-model turn (understanding the
message: slots, clauses, intents, frames — OfflineChatModel as the agent binds it) on the
demo store. Reports the slowest input of each kind (`agent.offline_turn.max_ms`), each input's
median over `rounds` in the params. Targets: noise ≤ 100 ms a turn, a dictation ≤ 1 s."""

from __future__ import annotations

import csv
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from benchmarks.common import result
from benchmarks.demo_store import demo_store
from benchmarks.rentals import DATA
from crm_store.services.brokers import actor_for, resolve_broker

LENGTH = 8_000
SEED = 20260310
TARGET_MS = {"noise": 100.0, "dictation": 1000.0}

_COMMAND = "remind me to call Ivan Petrov tomorrow at 11"
_EMOJI = "😀🏠🔑📞✅🙏🔥💶🏖️👍"
_PUNCTUATION = ".,;:!?-—()\"'«»…/*#&%"


def _fill(unit: str, length: int = LENGTH) -> str:
    return (unit * (length // len(unit) + 1))[:length]


def _centred(text: str, length: int = LENGTH) -> str:
    before = (length - len(text)) // 2
    return " " * before + text + " " * (length - len(text) - before)


def _garbage(rng: random.Random, length: int = LENGTH) -> str:
    """Words of random Latin and Cyrillic letters and digits, stray punctuation between."""
    alphabet = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюяABCDEЖЗИЙ0123456789"
    words: list[str] = []
    size = 0
    while size < length:
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.2:
            word += rng.choice(_PUNCTUATION)
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:length]


def noise_inputs(variant: int = 0) -> dict[str, str]:
    """Padding and noise a chat may deliver: one character repeated, garbage (new words in each
    `variant`, so no cache of a word seen before helps), a padded order."""
    return {
        "spaces": " " * LENGTH,
        "one_letter": "a" * LENGTH,
        "digits": "7" * LENGTH,
        "punctuation": _fill(_PUNCTUATION),
        "emoji": _fill(_EMOJI),
        "mixed_garbage": _garbage(random.Random(SEED + variant)),
        "padded_command": _centred(_COMMAND),
    }


# A broker's notes after a day of meetings, as dictated: who was met, what they want, what was
# shown (the ads' own words, quoted), what comes next.
_NOTES_EN = [
    "Met Ivan Petrov at the office this morning, he wants a 3-bed villa in Paphos with a pool, "
    "budget up to 800k, cash buyer, ready to move within 3-6 months.",
    "His wife prefers sea view and a quiet street, no main roads please.",
    "Showed them the place on Olympion St, they liked the garden but the kitchen is too small.",
    "Olga Smirnova called back, she is still thinking about the penthouse in Potamos, "
    "asked whether the seller would go down to 450k.",
    "Need to send Maria Ivanova the brochure for the Larnaca house and book a second viewing "
    "on Friday at 11.",
    "The seller of 12 Amathus Ave agreed to reduce the price by 5% if we close before summer.",
    "New lead from Bazaraki, Tom Reed, looking for a 2-bedroom flat in Limassol near the "
    "beach, around 350k, mortgage pre-approved.",
    "Remind me to call Andreas Georgiou next week about the agreement.",
]
_NOTES_RU = [
    "Встретились с Ольгой Смирновой в офисе, хочет трёшку в Лимассоле до 500 тысяч евро, "
    "ипотека уже одобрена, переезд в течение полугода.",
    "Муж хочет вид на море и парковку, школа рядом обязательна.",
    "Показал им квартиру в Гермасойе, понравилась терраса, но третий этаж без лифта.",
    "Иван Сидоров перезвонил, думает насчёт виллы в Пафосе, просил узнать, уступит ли "
    "продавец до 800 тысяч.",
    "Нужно отправить Марии Ивановой подборку и назначить повторный просмотр в пятницу в 15:00.",
    "Продавец дома в Ларнаке согласен снизить цену на 5%, если закроем сделку до лета.",
    "Новый клиент Пётр Соколов +357 99 765432, ищет двушку у моря, бюджет около 350 тысяч.",
    "Напомни позвонить Павлу Орлову на следующей неделе насчёт договора.",
]


def _ad_bodies() -> list[str]:
    """Real listing text (the ads written by people, not the portal's template)."""
    with DATA.open(encoding="utf-8") as handle:
        bodies = [row["body"] for row in csv.DictReader(handle)]
    return [b for b in bodies if not b.startswith("This unit is located at") and len(b) > 200]


def dictation(notes: list[str], quote: str, rng: random.Random) -> str:
    """LENGTH characters of notes in the order dictated, an ad quoted after every few."""
    ads = _ad_bodies()
    pieces: list[str] = []
    size = 0
    while size < LENGTH:
        for note in notes:
            pieces.append(note)
            if rng.random() < 0.3:
                ad = rng.choice(ads)
                pieces.append(f'{quote} "{ad[: rng.randint(200, 600)].strip()}".')
        size = sum(len(p) + 1 for p in pieces)
    return " ".join(pieces)[:LENGTH]


def dictation_inputs() -> dict[str, str]:
    rng = random.Random(SEED)
    return {
        "dictation_en": dictation(_NOTES_EN, "The ad says:", rng),
        "dictation_ru": dictation(_NOTES_RU, "В объявлении:", rng),
    }


@contextmanager
def _bar(progress: bool, total: int) -> Iterator[Callable[[str], None]]:
    """A rich progress bar over the timed turns (stderr), or nothing."""
    if not progress:
        yield lambda label: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("long input {task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)

        def advance(label: str) -> None:
            bar.update(task, description=label)
            bar.advance(task)

        yield advance


def run(*, listings: int = 300, progress: bool = False, rounds: int = 3) -> list[dict[str, Any]]:
    """Each input's median turn time over `rounds`; per kind, the slowest input."""
    from agent.offline.model import OfflineChatModel
    from tools.registry import all_tools

    rounds_of = {
        "noise": [noise_inputs(variant) for variant in range(rounds)],
        "dictation": [dictation_inputs()] * rounds,
    }
    listings = min(listings, 300)
    timings: dict[str, dict[str, float]] = {kind: {} for kind in rounds_of}
    with demo_store(listings=listings) as store:
        runtime = store.runtime(ephemeral_conversations=True)
        with runtime.unit_of_work() as ctx:
            actor = actor_for(resolve_broker(ctx.session, "Anna Georgiou"), channel="bench")
        model = OfflineChatModel(backend=runtime, actor=actor).bind_tools(all_tools())

        def turn(text: str) -> float:
            started = time.perf_counter()
            model.invoke([SystemMessage("You are Broker Copilot."), HumanMessage(text)])
            return (time.perf_counter() - started) * 1000.0

        turn("what's on my agenda today?")  # loads the morphology and the lexicon
        total = sum(len(variants[0]) * len(variants) for variants in rounds_of.values())
        with _bar(progress, total) as advance:
            for kind, variants in rounds_of.items():
                for name in variants[0]:
                    samples = []
                    for inputs in variants:
                        samples.append(turn(inputs[name]))
                        advance(name)
                    timings[kind][name] = round(statistics.median(samples), 1)
        runtime.close()
    return [
        result(
            "agent.offline_turn.max_ms",
            max(per_input.values()),
            "ms",
            kind=kind,
            statistic=f"max over inputs of the median of {rounds} turns",
            chars=LENGTH,
            target_ms=TARGET_MS[kind],
            inputs=per_input,
            listings=listings,
        )
        for kind, per_input in timings.items()
    ]
