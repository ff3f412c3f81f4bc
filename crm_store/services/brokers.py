"""Brokers: who is acting (by chat identity or name), registering them and their identities."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from crm_store.context import Actor, Ctx
from crm_store.errors import Ambiguous, Forbidden, InvalidInput, NotFound
from crm_store.models import Broker
from crm_store.repositories import people
from crm_store.repositories.base import add, record
from crm_store.services.names import latin_key, rank_keys, spelling_key
from crm_store.services.tokens import revoke_tokens
from crm_store.vocabulary import LANGUAGES, ROLES

# Same scale as contacts: a broker named by first name alone scores 90, a typo ~91.
RESOLVE_MIN_SCORE = 80.0
RESOLVE_MARGIN = 5.0


def _label(broker: Broker) -> str:
    return f"{broker.name} ({broker.id})"


def resolve_broker(session: Session, ref: str, *, include_inactive: bool = False) -> Broker:
    """The broker meant by an id ("b-3") or a name in either script ("Анна", "Anna Georgiou").

    Names are matched among the brokers still working here; with `include_inactive` a name that
    fits none of them is looked up among the deactivated ones too (so the caller can say that
    the broker is inactive rather than unknown). An id always finds its broker."""
    ref = (ref or "").strip()
    by_id = people.get_broker(session, ref) if ref else None
    if by_id is not None:
        return by_id
    brokers = people.list_brokers(session)  # by name, only brokers still working here
    try:
        return _by_name(brokers, ref, brokers)
    except NotFound:
        if not include_inactive:
            raise
        everyone = people.list_brokers(session, active_only=False)
        return _by_name(everyone, ref, brokers)


def _by_name(brokers: list[Broker], ref: str, known_brokers: list[Broker]) -> Broker:
    """The one broker of `brokers` that `ref` names; `known_brokers` are listed when none."""
    known = ", ".join(_label(b) for b in known_brokers) or "none yet"
    keys = {b.id: spelling_key(b.name) for b in brokers}
    ranked = rank_keys(latin_key(ref), keys, limit=None, cutoff=RESOLVE_MIN_SCORE)
    if not ranked:
        raise NotFound(
            f"There is no broker '{ref}'. Known brokers: {known}.",
            f"Брокера «{ref}» нет. Известные брокеры: {known}.",
        )
    by_key = {b.id: b for b in brokers}
    exact = [bid for bid, score in ranked if score >= 100.0]
    if len(exact) == 1:
        return by_key[exact[0]]
    best_score = ranked[0][1]
    if not exact and (len(ranked) == 1 or best_score - ranked[1][1] >= RESOLVE_MARGIN):
        return by_key[ranked[0][0]]
    close = exact or [bid for bid, score in ranked if best_score - score < RESOLVE_MARGIN]
    labels = ", ".join(_label(by_key[bid]) for bid in close)
    raise Ambiguous(
        f"Several brokers match '{ref}': {labels}. Say which one (the id is enough).",
        f"Под «{ref}» подходят несколько брокеров: {labels}. Уточните, какой (достаточно id).",
        candidates=[(bid, _label(by_key[bid])) for bid in close],
    )


def ensure_active(broker: Broker, *, doing: str, doing_ru: str) -> None:
    """Refuse to act as, or for, a deactivated broker; `doing` says what is refused."""
    if not broker.active:
        raise Forbidden(
            f"{_label(broker)} is deactivated, so {doing}. Use an active broker instead "
            "(`copilot brokers list` shows who is active).",
            f"{_label(broker)} деактивирован(а), поэтому {doing_ru}. Выберите активного "
            "брокера (`copilot brokers list` показывает, кто активен).",
        )


def actor_for(broker: Broker, *, channel: str, message: str | None = None) -> Actor:
    """The Actor a channel acts as once it has identified the broker."""
    return Actor(
        broker_id=broker.id,
        name=broker.name,
        role=broker.role,
        team=broker.team,
        timezone=broker.timezone,
        language=broker.language,
        channel=channel,
        message=message,
    )


def broker_by_telegram(session: Session, user_id: int) -> Broker | None:
    """The active broker behind a Telegram user, or None (an unknown identity gets nothing)."""
    broker = people.broker_by_telegram(session, int(user_id))
    return broker if broker is not None and broker.active else None


def broker_by_slack(session: Session, user_id: str) -> Broker | None:
    """The active broker behind a Slack user, or None (an unknown identity gets nothing)."""
    broker = people.broker_by_slack(session, str(user_id))
    return broker if broker is not None and broker.active else None


def _ensure_admin(ctx: Ctx) -> None:
    if ctx.actor.role != "admin":
        raise Forbidden(
            "Only an admin can register brokers and their chat identities; ask your admin.",
            "Регистрировать брокеров и их аккаунты может только администратор; обратитесь к нему.",
        )


def _validate(role: str, timezone: str, language: str) -> None:
    if role not in ROLES:
        raise InvalidInput(
            f"Role '{role}' is unknown; use one of: {', '.join(ROLES)}.",
            f"Роль «{role}» неизвестна; используйте: {', '.join(ROLES)}.",
            field="role",
        )
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"'{timezone}' is not a time zone; use an IANA name such as Asia/Nicosia.",
            f"«{timezone}» — не часовой пояс; укажите имя IANA, например Asia/Nicosia.",
            field="timezone",
        ) from None
    if language not in LANGUAGES:
        raise InvalidInput(
            f"Language '{language}' is not supported; use one of: {', '.join(LANGUAGES)}.",
            f"Язык «{language}» не поддерживается; используйте: {', '.join(LANGUAGES)}.",
            field="language",
        )


def add_broker(
    ctx: Ctx,
    *,
    name: str,
    role: str = "broker",
    team: str = "main",
    timezone: str = "Asia/Nicosia",
    language: str = "en",
) -> Broker:
    """Register a broker of the team (admin only); the name must tell them apart."""
    _ensure_admin(ctx)
    clean = " ".join((name or "").split())
    team = " ".join((team or "").split())
    if not clean or not team:
        raise InvalidInput(
            "A broker needs a name and a team.",
            "У брокера должны быть имя и команда.",
            field="name" if not clean else "team",
        )
    _validate(role, timezone, language)
    key = spelling_key(clean)
    for other in people.list_brokers(ctx.session, active_only=False):
        if spelling_key(other.name) == key:
            raise InvalidInput(
                f"{_label(other)} already exists. Use that broker, or add a distinguishing "
                "part to the new name (e.g. a surname initial).",
                f"{_label(other)} уже есть. Используйте его или уточните новое имя "
                "(например, инициалом фамилии).",
                field="name",
            )
    broker = Broker(
        name=clean, role=role, team=team, timezone=timezone, language=language, active=True
    )
    return add(ctx, broker)


def link_identity(
    ctx: Ctx,
    *,
    broker_id: str,
    telegram_user_id: int | None = None,
    slack_user_id: str | None = None,
) -> Broker:
    """Let a broker talk to the copilot from a Telegram or Slack account (admin only)."""
    _ensure_admin(ctx)
    broker = people.get_broker(ctx.session, broker_id)
    if broker is None:
        raise NotFound(
            f"There is no broker {broker_id}. Add the broker first, then link the account.",
            f"Брокера {broker_id} нет. Сначала добавьте брокера, затем привяжите аккаунт.",
        )
    if telegram_user_id is None and not slack_user_id:
        raise InvalidInput(
            "Give a Telegram user id (a number) or a Slack user id to link.",
            "Укажите id пользователя Telegram (число) или Slack для привязки.",
            field="identity",
        )
    changes: dict[str, list[object]] = {}
    if telegram_user_id is not None:
        owner = people.broker_by_telegram(ctx.session, int(telegram_user_id))
        _ensure_free(owner, broker, f"Telegram user {telegram_user_id}")
        changes["telegram_user_id"] = [broker.telegram_user_id, int(telegram_user_id)]
        broker.telegram_user_id = int(telegram_user_id)
    if slack_user_id:
        owner = people.broker_by_slack(ctx.session, slack_user_id)
        _ensure_free(owner, broker, f"Slack user {slack_user_id}")
        changes["slack_user_id"] = [broker.slack_user_id, slack_user_id]
        broker.slack_user_id = slack_user_id
    changes = {field: pair for field, pair in changes.items() if pair[0] != pair[1]}
    if changes:
        ctx.session.flush()
        record(ctx, action="link_identity", entity="brokers", entity_id=broker.id, changes=changes)
    return broker


def _ensure_free(owner: Broker | None, broker: Broker, identity: str) -> None:
    """One chat account speaks for exactly one broker."""
    if owner is not None and owner.id != broker.id:
        raise InvalidInput(
            f"{identity} is already linked to {_label(owner)}. Check that you have the right "
            "account, or unlink it from that broker first.",
            f"{identity} уже привязан к {_label(owner)}. Проверьте, тот ли это аккаунт, "
            "или сначала отвяжите его от того брокера.",
            field="identity",
        )


def unlink_identity(
    ctx: Ctx, *, broker_id: str, telegram: bool = False, slack: bool = False
) -> Broker:
    """Stop a chat account speaking for a broker (a lost phone, a changed account)."""
    _ensure_admin(ctx)
    broker = people.get_broker(ctx.session, broker_id)
    if broker is None:
        raise NotFound(
            f"There is no broker {broker_id}; list the brokers to find the right id.",
            f"Брокера {broker_id} нет; посмотрите список брокеров, чтобы найти нужный id.",
        )
    changes: dict[str, list[object]] = {}
    if telegram and broker.telegram_user_id is not None:
        changes["telegram_user_id"] = [broker.telegram_user_id, None]
        broker.telegram_user_id = None
    if slack and broker.slack_user_id is not None:
        changes["slack_user_id"] = [broker.slack_user_id, None]
        broker.slack_user_id = None
    if changes:
        ctx.session.flush()
        record(
            ctx, action="unlink_identity", entity="brokers", entity_id=broker.id, changes=changes
        )
    return broker


@dataclass(frozen=True)
class Revoked:
    """What `revoke_access` ended: how many API tokens, and which chat accounts were unlinked."""

    api_tokens: int
    chat_links: tuple[str, ...]


@dataclass(frozen=True)
class Deactivated:
    broker: Broker
    was_active: bool
    revoked: Revoked


def _get_broker(ctx: Ctx, broker_id: str) -> Broker:
    broker = people.get_broker(ctx.session, broker_id)
    if broker is None:
        raise NotFound(
            f"There is no broker {broker_id}; list the brokers to find the right id.",
            f"Брокера {broker_id} нет; посмотрите список брокеров, чтобы найти нужный id.",
        )
    return broker


def revoke_access(ctx: Ctx, *, broker_id: str) -> Revoked:
    """End every way a broker can still sign in (admin only), in the caller's transaction: the
    personal API tokens (the HTTP API and the board accept them) and the linked Telegram and
    Slack accounts. The broker stays registered and keeps their records.

    The store keeps no other credentials yet: calendar feed tokens and board sessions (SPEC §10)
    do not exist. Whoever adds them, or any other credential table, ends them here too."""
    _ensure_admin(ctx)
    broker = _get_broker(ctx, broker_id)
    tokens = revoke_tokens(ctx, broker=broker)
    links: list[str] = []
    if broker.telegram_user_id is not None:
        links.append(f"Telegram user {broker.telegram_user_id}")
    if broker.slack_user_id:
        links.append(f"Slack user {broker.slack_user_id}")
    if links:
        unlink_identity(ctx, broker_id=broker.id, telegram=True, slack=True)
    return Revoked(api_tokens=tokens, chat_links=tuple(links))


def deactivate_broker(ctx: Ctx, *, broker_id: str) -> Deactivated:
    """A broker who leaves (admin only): marked inactive, so no channel acts as them any more,
    and every credential revoked (`revoke_access`), all in the caller's transaction. Their
    records stay for the team and the history."""
    _ensure_admin(ctx)
    broker = _get_broker(ctx, broker_id)
    was_active = bool(broker.active)
    if was_active:
        broker.active = False
        ctx.session.flush()
        record(
            ctx,
            action="deactivate_broker",
            entity="brokers",
            entity_id=broker.id,
            changes={"active": [True, False]},
        )
    return Deactivated(
        broker=broker, was_active=was_active, revoked=revoke_access(ctx, broker_id=broker.id)
    )
