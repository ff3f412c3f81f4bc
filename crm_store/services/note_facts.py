"""What an extractor may take from a note (NoteFacts), and what applying it did (AppliedFacts).

NoteFacts is a whitelist: showing feedback, buyer criteria, the next step. Anything else an
extractor returns is dropped on validation, so text in a note can never ask for more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from crm_store.models import FollowUp
from crm_store.services.amounts import shown
from crm_store.services.appointments import StageProposal
from crm_store.services.display import criteria_change_text, criteria_value_text
from crm_store.services.followups import Proposal
from crm_store.services.workhours import describe

Reaction = Literal["liked", "neutral", "disliked"]
_REACTION_WORDS = {"like": "liked", "love": "liked", "loved": "liked", "dislike": "disliked"}


class _Facts(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ReactionFact(_Facts):
    listing: str = Field(description="Listing id (l-12) or address fragment as the broker said it")
    reaction: Reaction
    text: str | None = Field(default=None, description="What the client said about it")

    @field_validator("reaction", mode="before")
    @classmethod
    def _fold_reaction(cls, value: Any) -> Any:
        key = str(value or "").strip().lower()
        return _REACTION_WORDS.get(key, key)


class ShowingFacts(_Facts):
    listings: list[str] = Field(
        default_factory=list, description="Listings shown (ids or addresses)"
    )
    reactions: list[ReactionFact] = Field(default_factory=list)
    at: AwareDatetime | None = Field(
        default=None, description="When the showing took place, if the note says (yesterday…)"
    )


class CriteriaFacts(_Facts):
    """Changes to the buyer's request; unset fields stay as they are."""

    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    cities: list[str] | None = Field(default=None, description="The full new list of cities")
    districts: list[str] | None = Field(default=None, description="The full new list")
    property_types: list[str] | None = Field(default=None, description="The full new list")
    bedrooms_min: int | None = None
    must_haves: list[str] | None = Field(
        default=None, description="Features to ADD to the current must-haves"
    )
    wishes_add: str | None = Field(default=None, description="Free text appended to the wishes")
    timeline_months: int | None = None
    financing: Literal["cash", "mortgage", "unknown"] | None = None

    def changes(self) -> dict[str, Any]:
        return {key: value for key, value in self.model_dump().items() if value is not None}


class NextStepFacts(_Facts):
    action: str | None = Field(default=None, description="What to do next, as said")
    due_at: AwareDatetime | None = Field(default=None, description="When, if a time was said")
    channel: Literal["call", "message", "email", "meeting"] = "call"
    moves: bool = Field(
        default=False,
        description="The step moves a contact already planned ('the Friday call moves to Monday')",
    )
    day_said: bool = Field(
        default=True, description="False when only a time was said (a move keeps the old day)"
    )


class PriceFacts(_Facts):
    """The asking price a seller agreed to (never a buyer's offer or opinion of a price)."""

    listing: str | None = Field(
        default=None, description="The seller's listing (id or address); unset when they have one"
    )
    price: Decimal = Field(gt=0, description="The new asking price in EUR")


class NoteFacts(_Facts):
    """The schema an extractor fills from one note; everything is optional."""

    contact_name: str | None = None
    showing: ShowingFacts | None = None
    criteria: CriteriaFacts | None = None
    next_step: NextStepFacts | None = None
    price: PriceFacts | None = None


@dataclass(frozen=True)
class Skipped:
    """One part of the facts that was not applied, and why (EN and RU)."""

    what: str
    en: str
    ru: str


@dataclass
class AppliedFacts:
    """What apply_note_facts changed, for the reply to the broker."""

    note_id: str
    contact_id: str | None = None
    appointment_id: str | None = None
    showing_created: bool = False
    showing_at: datetime | None = None  # when the showing took place (shown in the read-back)
    feedback: list[dict[str, Any]] = field(default_factory=list)
    request_id: str | None = None
    request_created: bool = False  # a new lead's first search, opened from the note
    criteria: dict[str, list[Any]] = field(default_factory=dict)
    price: tuple[str, Decimal | None, Decimal] | None = None  # listing id, old, new
    follow_up: FollowUp | None = None
    follow_up_existed: bool = False
    follow_up_moved_from: datetime | None = None  # a planned contact moved, from when
    proposal: Proposal | None = None
    stage_move: StageProposal | None = None
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.feedback
            or self.showing_created
            or self.criteria
            or self.price
            or self.follow_up is not None
        )

    def lines(
        self, language: str = "en", *, tz: str = "Asia/Nicosia", suggestions: bool = True
    ) -> list[str]:
        """One short line per thing done or skipped, in the broker's language (without the
        next-step suggestions when `suggestions` is off: a read-back asks about those later)."""
        ru = language == "ru"
        out: list[str] = []
        if self.appointment_id and (self.feedback or self.showing_created):
            reactions = ", ".join(f"{i['listing']}: {i['reaction']}" for i in self.feedback)
            head = "Отзывы о показе" if ru else "Showing feedback"
            at = (
                ", " + describe(self.showing_at, tz=tz, language=language)
                if self.showing_at is not None
                else ""
            )
            out.append(f"{head} ({self.appointment_id}{at}): {reactions or '—'}")
        if self.criteria and self.request_created:
            fields = "; ".join(
                criteria_change_text(key, new, language) for key, (_, new) in self.criteria.items()
            )
            head = "Новая заявка" if ru else "New buyer request"
            out.append(f"{head} {self.request_id}: {fields}")
        elif self.criteria:
            was = "было" if ru else "was"
            fields = "; ".join(
                f"{criteria_change_text(key, new, language)} ({was} "
                f"{criteria_value_text(key, old, language)})"
                for key, (old, new) in self.criteria.items()
            )
            out.append(f"{'Заявка' if ru else 'Request'} {self.request_id}: {fields}")
        if self.price is not None:
            listing, old, new = self.price
            head = "Объект" if ru else "Listing"
            price, was = ("цена", "было") if ru else ("price", "was")
            out.append(
                f"{head} {listing}: {price} {shown(new, language)}"
                + (f" ({was} {shown(old, language)})" if old is not None else "")
            )
        if self.follow_up is not None:
            what = "Напоминание" if ru else "Follow-up"
            state = (" (уже было)" if ru else " (already there)") if self.follow_up_existed else ""
            when = describe(self.follow_up.due_at, tz=tz, language=language)
            if self.follow_up_moved_from is not None:
                was = describe(self.follow_up_moved_from, tz=tz, language=language)
                moved = "перенесено" if ru else "moved"
                out.append(f"{what} {self.follow_up.id} {moved}: {was} → {when}")
            else:
                out.append(f"{what} {self.follow_up.id}: {when}{state}")
        if self.proposal is not None and suggestions:
            out.append(("Предлагаю: " if ru else "Proposed: ") + self.proposal.text(language))
        if self.stage_move is not None and suggestions:
            out.append(self.stage_move.text(language))
        out.extend(
            ("Пропущено: " if ru else "Skipped: ") + (s.ru if ru else s.en) for s in self.skipped
        )
        return out
