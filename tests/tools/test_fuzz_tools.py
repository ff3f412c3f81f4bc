"""Every tool with generated arguments (issue #10): whatever values its schema admits — huge
numbers, NaN, impossible dates, ids of nothing, mixed scripts, control characters — it answers
with a string, never raises and never fails unexpectedly; and when it reports that nothing was
done ("NOT DONE …"), the store is as it was. Store: the offline model's test brokerage (Anna's
clients, deals, listings, follow-ups, an appointment), through a real runtime (matching,
memory); derandomized so CI sees the same examples every run."""

from __future__ import annotations

import shutil
import types
import typing
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from app.runtime import Runtime
from app.settings import Settings
from crm_store.clock import FrozenClock
from crm_store.context import SYSTEM, Ctx
from crm_store.models import Base
from tests.agent.offline.conftest import build_brokerage
from tests.conftest import TUESDAY_9AM
from tools.base import FAILED
from tools.deps import ToolDeps
from tools.registry import all_tools, internal_tools

TOOLS = {tool.name: tool for tool in (*all_tools(), *internal_tools())}
EXAMPLES = 40  # per tool: 23 tools in about 15 s

# Words a model may well pass: ids of records that exist and do not, dates good and impossible.
_WORDS = [
    "c-1", "c-2", "c-8", "c-999", "l-1", "l-3", "l-99", "r-1", "f-1", "f-2", "a-1", "b-1",
    "Ivan Petrov", "Иван Сидоров", "Olga", "2026-03-11T10:00", "2026-02-30T25:00", "2026-03-10",
    "25:00", "February 30", "March 99999999999999999999", "tomorrow", "завтра", "qualification",
    "viewing", "closed_won", "closed_lost", "active_listing", "villa", "Limassol", "pool", "en",
    "ru", "call", "showed", "no_show", "buyer", "seller", "week", "month", "deals_by_stage", "",
]  # fmt: skip
_TEXT = st.one_of(
    st.sampled_from(_WORDS),
    st.text(max_size=40),
    st.text(alphabet="0123456789", min_size=15, max_size=60),
)
_NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["850k", "1,5 млн", "abc", "1e999", "-0", ""]),
)
_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | _NUMBER | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)


def strategy(annotation: Any) -> st.SearchStrategy[Any]:
    """Values of a field's type, leaning to the ones that break code."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:  # amounts: any JSON value reaches the tool's own check
        return _JSON
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(strategy(arg) for arg in args))
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(strategy(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(_TEXT, _JSON, max_size=4)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return fields(annotation)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        type(None): st.none(),
        str: _TEXT,
        int: st.one_of(st.integers(-5, 60), st.integers(-(10**30), 10**30)),
        bool: st.booleans(),
        float: _NUMBER,
        Decimal: _NUMBER,
    }
    return simple.get(annotation, _JSON)


def fields(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict of the model's required fields and some of its optional ones."""
    required = {}
    optional = {}
    for name, field in model.model_fields.items():
        if name == "deps":
            continue
        target = required if field.is_required() else optional
        target[name] = strategy(field.annotation)
    return st.fixed_dictionaries(required, optional=optional)


def _snapshot(runtime: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    with runtime.engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def runtime(template_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    directory = tmp_path_factory.mktemp("fuzz-tools")
    shutil.copy(template_store, directory / "store.sqlite")
    settings_ = Settings(
        database_url=f"sqlite:///{directory}/store.sqlite", var_dir=directory, now=TUESDAY_9AM
    )
    runtime = Runtime(settings=settings_)
    with runtime.unit_of_work() as ctx:
        build_brokerage(
            Ctx(session=ctx.session, actor=SYSTEM, clock=ctx.clock),
            runtime.session_factory,
            FrozenClock(TUESDAY_9AM),
        )
    yield runtime
    runtime.close()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TOOLS))
def test_a_tool_answers_generated_arguments_and_changes_nothing_when_not_done(runtime, name):
    tool = TOOLS[name]
    with runtime.unit_of_work() as ctx:
        from crm_store.services.brokers import actor_for, resolve_broker

        actor = actor_for(resolve_broker(ctx.session, "Anna Georgiou"), channel="fuzz")

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(args=fields(tool.args_schema), confirmed=st.booleans())
    def check(args: dict[str, Any], confirmed: bool) -> None:
        try:
            tool.args_schema.model_validate(args)
        except ValidationError:
            assume(False)  # the schema refuses it: the tool is never called with it
        before = _snapshot(runtime)
        deps = ToolDeps(backend=runtime, actor=actor, confirmed=confirmed)
        answer = tool.invoke({**args, "deps": deps})
        assert isinstance(answer, str)
        assert not answer.startswith(f"{FAILED} (error)"), (args, answer)  # an unexpected error
        if answer.startswith(FAILED):
            assert _snapshot(runtime) == before, (args, answer)

    check()


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("match_listings", {"buyer": "l-1"}),
        ("curated_list", {"buyer": "l-1"}),
        ("explain_match", {"buyer": "l-1", "listing": "l-2"}),
        ("match_buyers", {"listing": "r-1"}),
        ("save_listing", {"listing": "r-1", "bedrooms": 3}),
    ],
)
def test_an_id_of_the_other_side_is_refused_not_a_crash(runtime, name, args):
    """Found by the fuzzing above: a listing's id given for the buyer (or a request's for the
    listing) failed an assertion ("an unexpected error"); it is refused with advice."""
    with runtime.unit_of_work() as ctx:
        from crm_store.services.brokers import actor_for, resolve_broker

        actor = actor_for(resolve_broker(ctx.session, "Anna Georgiou"), channel="fuzz")
    before = _snapshot(runtime)
    deps = ToolDeps(backend=runtime, actor=actor, confirmed=True)
    answer = TOOLS[name].invoke({**args, "deps": deps})
    assert answer.startswith(f"{FAILED} (invalid_input)"), answer
    assert "not a buyer's request" in answer or "not a listing" in answer
    assert _snapshot(runtime) == before
