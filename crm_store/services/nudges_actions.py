"""What a nudge offers, channel-neutral: one-tap actions as tool commands, and the deal's NBA.

An action is `{"id", "label_en", "label_ru", "command": {"tool", "args"}}`, plus `"needs"`
when the broker must still give something (a new time): Telegram and Slack render buttons, the
terminal prints them, and a tap runs the named tool as the broker — the same path as a typed
request, so permissions and the audit trail apply unchanged. Times in `args` are broker-local
ISO ("2026-03-11T10:00"), as the tools take them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crm_store.models import BuyerRequest, Listing
from crm_store.services import nba_tables
from crm_store.services.nba import NextBestAction, expected_after
from crm_store.services.nba_tables import Detail
from crm_store.services.probability import Probability
from crm_store.services.stages import side_of
from crm_store.vocabulary import is_terminal

Deal = Listing | BuyerRequest
Action = dict[str, Any]


def action(
    action_id: str,
    label_en: str,
    label_ru: str,
    tool: str,
    args: dict[str, Any],
    *,
    needs: Iterable[str] = (),
) -> Action:
    """One button: what it says (EN/RU) and the tool call it makes."""
    made: Action = {
        "id": action_id,
        "label_en": label_en,
        "label_ru": label_ru,
        "command": {"tool": tool, "args": {k: v for k, v in args.items() if v is not None}},
    }
    if needs:
        made["needs"] = list(needs)
    return made


def open_card(contact_id: str | None, deal_id: str | None) -> Action:
    return action(
        "open_card",
        "Open card",
        "Карточка",
        "client_card",
        {"client": deal_id or contact_id},
    )


def follow_up_actions(
    follow_up_id: str, *, contact_id: str | None, deal_id: str | None, snooze_to: str
) -> list[Action]:
    """done · snooze 1 day · reschedule · open card."""
    return [
        action("done", "Done", "Выполнено", "complete_follow_up", {"follow_up": follow_up_id}),
        action(
            "snooze_1d", "Snooze 1 day", "Отложить на день", "reschedule_follow_up",
            {"follow_up": follow_up_id, "due_at": snooze_to},
        ),
        action(
            "reschedule", "Reschedule", "Перенести", "reschedule_follow_up",
            {"follow_up": follow_up_id}, needs=["due_at"],
        ),
        open_card(contact_id, deal_id),
    ]  # fmt: skip


def appointment_actions(
    appointment_id: str, *, contact_id: str | None, deal_id: str | None
) -> list[Action]:
    """held · no-show · open card (rescheduling a meeting is a conversation, not a tap)."""
    return [
        action(
            "done", "Held", "Состоялась", "record_appointment",
            {"appointment": appointment_id, "status": "done"},
        ),
        action(
            "no_show", "No-show", "Не пришёл", "record_appointment",
            {"appointment": appointment_id, "status": "no_show"},
        ),
        open_card(contact_id, deal_id),
    ]  # fmt: skip


def schedule_actions(
    *, contact_id: str | None, deal_id: str, proposed: str, channel: str = "call"
) -> list[Action]:
    """schedule the proposed follow-up · pick another time · open card (gaps, stale deals)."""
    args = {"contact": contact_id, "deal": deal_id, "channel": channel}
    return [
        action(
            "schedule", "Schedule", "Запланировать", "schedule_follow_up",
            {**args, "due_at": proposed},
        ),
        action(
            "reschedule", "Another time", "Другое время", "schedule_follow_up", args,
            needs=["due_at"],
        ),
        open_card(contact_id, deal_id),
    ]  # fmt: skip


def agenda_actions() -> list[Action]:
    return [action("open_agenda", "Open agenda", "Повестка дня", "agenda", {})]


def new_match_actions(payload: dict[str, Any]) -> list[Action]:
    """A recorded new_match carries no actions (another engine wrote it): open the buyer's card."""
    return [open_card(payload.get("buyer"), payload.get("buyer_request"))]


# --- the deal's Next Best Action, as payload ---------------------------------------------------


def _detail(detail: Detail) -> dict[str, str]:
    return {"kind": detail.kind, "en": detail.en, "ru": detail.ru}


def nba_line(
    deal: Deal, probability: Probability, *, details: Iterable[Detail] = ()
) -> dict[str, Any]:
    """The deal's NBA from data already in hand (no query): the stage's action, p now → after,
    the caller's concrete points, then missing facts and the pending document."""
    stage_action = nba_tables.ACTIONS[side_of(deal)][deal.stage]
    points = list(details)
    if not is_terminal(deal.stage):
        points.extend(nba_tables.data_gaps(deal))
        document = nba_tables.pending_document(deal)
        if document is not None:
            points.append(document)
    return {
        "deal": deal.id,
        "stage": deal.stage,
        "action_en": stage_action.en,
        "action_ru": stage_action.ru,
        "p_now": round(probability.value, 4),
        "p_after": round(expected_after(probability.value, stage_action.impact), 4),
        "details": [_detail(d) for d in points],
    }


def nba_payload(nba: NextBestAction) -> dict[str, Any]:
    """A full next_best_action() as payload."""
    return {
        "deal": nba.deal_id,
        "stage": nba.stage,
        "action_en": nba.action_en,
        "action_ru": nba.action_ru,
        "p_now": round(nba.p_now, 4),
        "p_after": round(nba.p_after, 4),
        "details": [_detail(d) for d in nba.details],
    }
