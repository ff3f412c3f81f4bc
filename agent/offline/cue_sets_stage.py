"""Cues and exemplars of stage moves: a stage named after a move verb, an event that implies
one ("signed the agreement", "купил у конкурентов"), a bare "closed" that will ask won or lost."""

from __future__ import annotations

from agent.offline.cue_sets import IntentSpec, spec

MOVE_STAGE: IntentSpec = spec(
    "move_stage",
    [
        (
            r"\b(?:mov\w*|put|set|chang\w*|switch\w*|advanc\w*|push\w*|bump\w*|mark\w*|"
            r"close\w*|list\w*|skip\w*|drop\w*|reopen\w*)\b"
            r".*(?:\b(?:to|into)\b(?: the)?(?: stage)? )?@stage",
            2.6,
        ),
        (
            r"\b(?:перевед|перевест|перевод|перемест|передвин|сдвин|двига|двинь|закрыва|"
            r"закрой|выставля|выстав|запуска|возвращаем|возвращай|верни|вернуть|поставь|"
            r"пропуст)\w*\b.*(?:(?:в|на) (?:этап |стадию |статус )?)?"
            r"@stage",
            2.6,
        ),
        (r"\b(?:stage|этап|стади\w*|статус)\b.*@stage", 1.6),
        (r"@event", 1.9),
        (r"(?:->|→) @stage", 2.0),
        (r"(?:^|[-:,]\s*)(?:в|на|to|into)\s+@stage\W*$", 2.0),
        # "oroklini townhouse to agreement signed": the record, then where it goes
        (r"(?:@type|@ref|@name)\s+(?:to|into)\s+@stage\W*$", 2.0),
        (r"\b(?:сразу|straight|directly|right)\s+(?:на|в|to|into)\s+@stage", 2.6),
        (r"\b(?:as|как)\s+@stage\W*$", 1.6),
        (r"\b(?:skip\w*|пропуст\w*)\b", 1.0),
        (  # a question about a deal is not an order to move it
            r"^(?:what|which|who|whom|how|any|anything|is there|are there|do we|do i|does|"
            r"did|got any|какие|какой|какая|что|кто|кому|есть ли|сколько)\b",
            -1.6,
        ),
    ],
    [
        "move @name to @stage",
        "@name @event",
        "@ref @event",
        "переведи @name на этап @stage",
        "@name @event , причина бюджет",
    ],
    anchors=("@stage", "@event"),
)
