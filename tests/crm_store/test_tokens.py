"""API tokens: valid once issued, never stored in clear, dead once revoked or the broker leaves."""

from __future__ import annotations

from sqlalchemy import select

from crm_store.models import ApiToken
from crm_store.services.tokens import broker_for_token, issue_token, revoke_tokens
from tests.factories import make_broker


def test_token_identifies_its_broker_and_is_stored_hashed(ctx):
    anna = make_broker(ctx, name="Anna Georgiou")
    token = issue_token(ctx, broker=anna)
    assert broker_for_token(ctx.session, token).id == anna.id
    stored = ctx.session.execute(select(ApiToken.token_hash)).scalar_one()
    assert token not in stored
    assert broker_for_token(ctx.session, token + "x") is None
    assert broker_for_token(ctx.session, "") is None


def test_revoked_tokens_and_inactive_brokers_get_nothing(ctx):
    anna = make_broker(ctx, name="Anna Georgiou")
    first, second = issue_token(ctx, broker=anna), issue_token(ctx, broker=anna)
    assert revoke_tokens(ctx, broker=anna) == 2
    assert (
        broker_for_token(ctx.session, first) is None
        and broker_for_token(ctx.session, second) is None
    )
    third = issue_token(ctx, broker=anna)
    anna.active = False
    ctx.session.flush()
    assert broker_for_token(ctx.session, third) is None
