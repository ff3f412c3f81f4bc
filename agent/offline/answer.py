"""The ANSWER phase: the tool results of this turn → one reply in the broker's language.

Success lines are relayed as they are (tools already word them in the broker's language).
"[proposal contact=… due_at=…]" markers are taken out (the question stays) and remembered, so
a "yes" next turn schedules it. "NOT DONE (code): advice" becomes the advice, addressed to the
broker; an ambiguous reference or a possible duplicate also leaves a pending frame, so "the
second one" or "yes, a new one" next turn finishes the job. A declined confirmation reads
"OK, nothing changed."
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.context import PROPOSED, SAY_AFTER_RESULTS
from agent.offline.replies import say
from tools.base import FAILED, choices_offered
from tools.followups import PROPOSAL_MARKER

SAY = SAY_AFTER_RESULTS  # text the UNDERSTAND phase wants shown after the results
_FAILURE = re.compile(rf"^{FAILED} \((?P<code>[\w-]+)\):\s*(?P<advice>.*)$", re.DOTALL)
_DECLINED = ("The broker declined", "Брокер отказался")
# Only for failure words whose choices were not recorded (tools.base.choices_offered): the ids
# the store makes, in their own shape.
_ID = re.compile(r"(?<![\w-])(?:c|l|r|f|a)-\d+(?![\w-])")
_ARG_PREFIXES = {"appointment": ("a-",), "follow_up": ("f-",), "listing": ("l-",)}
_REF_ARGS = ("contact", "follow_up", "deal", "buyer", "client", "appointment", "listing", "seller")
# Advice written for a model, turned into a question for the broker.
_TO_BROKER: tuple[tuple[str, str], ...] = (
    (r"\s*Ask the broker which one they mean\.?", " Which one do you mean?"),
    (r"\s*Ask which one \(or pass its id\)\.?", " Which one (or give its id)?"),
    (r"\s*Ask which one \(or its id\)\.?", " Which one (or give its id)?"),
    (r"\s*Ask which one\.?", " Which one?"),
    (r"\s*Say which one \(the id is enough\)\.?", " Which one (the id is enough)?"),
    (r"\s*Уточните у брокера, какой именно\.?", " Какой именно?"),
    (r"\s*Fix the arguments and retry\.?", ""),
    (r"\s*\(final_amount\)", ""),
    (r":\s*give it as final_amount\.?", ": how much was it?"),
    (r":\s*укажите её в final_amount\.?", ": какая сумма?"),
)


@dataclass
class Answer:
    text: str
    kwargs: dict[str, Any] = field(default_factory=dict)


def _turn_start(messages: list[BaseMessage]) -> int:
    return max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1) + 1


def has_results(messages: list[BaseMessage]) -> bool:
    """Whether this turn already ran tools (the model now answers from their results)."""
    return any(isinstance(m, ToolMessage) for m in messages[_turn_start(messages) :])


def _calls_by_id(messages: list[BaseMessage]) -> dict[str, dict[str, Any]]:
    calls: dict[str, dict[str, Any]] = {}
    for message in messages[_turn_start(messages) :]:
        if isinstance(message, AIMessage):
            for call in message.tool_calls:
                calls[call["id"] or ""] = {"name": call["name"], "args": dict(call["args"])}
    return calls


def _caller_kwargs(messages: list[BaseMessage]) -> dict[str, Any]:
    for message in reversed(messages[_turn_start(messages) :]):
        if isinstance(message, AIMessage) and message.tool_calls:
            return dict(message.additional_kwargs)
    return {}


def _to_broker(advice: str) -> str:
    for pattern, replacement in _TO_BROKER:
        advice = re.sub(pattern, replacement, advice)
    return advice.strip()


def _pending_for(
    code: str, advice: str, call: dict[str, Any] | None, language: str
) -> dict[str, Any] | None:
    """What the broker's answer to this failure should complete."""
    if call is None:
        return None
    args = dict(call["args"])
    if code == "duplicate" and call["name"] == "register_contact":
        return {
            "tool": "register_contact",
            "args": args,
            "missing": "confirm_new",
            "language": language,
        }
    if code == "invalid_input" and call["name"] == "move_stage" and "final_amount" in advice:
        return {"tool": "move_stage", "args": args, "missing": "final_amount", "language": language}
    if code != "ambiguous":
        return None
    offered = choices_offered(advice)
    candidates = list(dict.fromkeys(record_id for record_id, _ in offered))
    if not offered:  # words from elsewhere (a stored proposal): ids in the store's own shape
        candidates = list(dict.fromkeys(_ID.findall(advice)))
    if not candidates:
        return None
    present = [name for name in _REF_ARGS if isinstance(args.get(name), str)]
    quoted = [
        name for name in present if f"'{args[name]}'" in advice or f"«{args[name]}»" in advice
    ]
    named = [name for name in present if str(args[name]).lower() in advice.lower()]
    choices = quoted or named or present
    if not choices:
        return None
    arg = choices[0]
    if offered:
        labels = {i: _without_id(label, i) for i, label in offered if i in candidates}
    else:
        # "a-383 (Wed 25 Nov, l-261)": the choice is among the ids of the argument's kind.
        fitting = [c for c in candidates if c.startswith(_ARG_PREFIXES.get(arg, ("",)))]
        candidates = fitting or candidates
        labels = _labels(advice, candidates)
    return {
        "tool": call["name"],
        "args": args,
        "missing": arg,
        "candidates": candidates,
        "labels": labels,
        "language": language,
    }


def _without_id(label: str, record_id: str) -> str:
    """A choice's words without its id ("Villa, Peyia (villa-peyia)" → "Villa, Peyia"): an id
    may be any word, and the broker picks by the words."""
    return " ".join(label.replace(f"({record_id})", " ").replace(record_id, " ").split())


def _labels(advice: str, candidates: list[str]) -> dict[str, str]:
    """Each candidate's words in the advice ("l-9: Penthouse, Potamos…" or "Villa… (l-2)")."""
    labels: dict[str, str] = {}
    for part in re.split(r";\s*|\)\s*,\s*|\s+—\s+", advice):
        for cid in candidates:
            if cid in part and cid not in labels:
                labels[cid] = part.strip()
    return labels


def compose_answer(messages: list[BaseMessage], language: str) -> Answer:
    """One reply from this turn's tool results (see the module docstring)."""
    calls = _calls_by_id(messages)
    caller = _caller_kwargs(messages)
    lines: list[str] = []
    kwargs: dict[str, Any] = {}
    declined = False
    for message in messages[_turn_start(messages) :]:
        if not isinstance(message, ToolMessage):
            continue
        if PROPOSED in message.additional_kwargs:  # held back: its read-back is asked
            continue
        content = str(message.content).strip()
        if content.startswith(_DECLINED):
            declined = True
            continue
        failure = _FAILURE.match(content)
        if failure:
            advice = _to_broker(failure.group("advice"))
            lines.append(advice)
            pending = _pending_for(  # read from the tool's own words, before rewording
                failure.group("code"),
                failure.group("advice"),
                calls.get(message.tool_call_id),
                language,
            )
            if pending is not None and "offline_pending" not in kwargs:
                kwargs["offline_pending"] = pending
            continue
        proposal = PROPOSAL_MARKER.search(content)
        if proposal:
            kwargs["offline_proposal"] = {"contact": proposal.group(1), "due_at": proposal.group(2)}
            content = PROPOSAL_MARKER.sub("", content).strip()
        if content:
            lines.append(content)
    if declined:
        lines.insert(0, say("declined", language))
    extra = caller.get(SAY)
    if isinstance(extra, str) and extra:
        lines.append(extra)
    carried = caller.get("offline_pending")
    if isinstance(carried, dict) and "offline_pending" not in kwargs:
        kwargs["offline_pending"] = carried
    for key in ("offline_subject", "offline_last"):  # what the next turn may refer back to
        if key in caller:
            kwargs[key] = caller[key]
    if not lines:
        lines.append(say("done", language))
    return Answer("\n".join(lines), kwargs)
