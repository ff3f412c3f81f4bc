"""Plays eval tasks through the copilot as the channels do, and judges every trial."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from app.runtime import Runtime
from app.settings import load_settings
from crm_store.db import make_engine
from crm_store.errors import CopilotError
from crm_store.migrate import upgrade
from crm_store.transfer import export_store, import_store, read_canonical, validate_canonical
from evals.assertions import Export, Outcome, check_expectations
from evals.metrics import EvalSummary, TrialResult, TurnRecord, count_writes, summarize
from evals.report import progress_bar, write_reports
from evals.tasks import EvalError, EvalTask, LoadedTask, load_tasks

if TYPE_CHECKING:
    from agent.conversation import Copilot, ModelProvider, Reply

log = logging.getLogger(__name__)

CHANNEL = "eval"
# Builds the model for one trial (tests inject a scripted model; the CLI uses the settings').
ModelFactory = Callable[[EvalTask, Runtime], "ModelProvider"]


class Fixtures:
    """Parsed fixture files, read once per run however many tasks share them."""

    def __init__(self) -> None:
        self._parsed: dict[Path, dict[str, Any]] = {}

    def get(self, loaded: LoadedTask) -> dict[str, Any]:
        if loaded.fixture not in self._parsed:
            try:
                data = read_canonical(loaded.fixture)
                # Refuse an invalid fixture now, not at the task that first uses it an hour in.
                validate_canonical(data, now=loaded.task.now)
                self._parsed[loaded.fixture] = data
            except CopilotError as error:
                raise EvalError(
                    f"{loaded.where}: fixture {loaded.fixture}: {error.message()}"
                ) from error
        return self._parsed[loaded.fixture]


class EmptyStores:
    """Fresh migrated SQLite files: migrated once per run, then copied for every trial (a
    migration costs ~0.2 s, a copy a millisecond)."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._template: Path | None = None
        self._made = 0

    def new(self) -> Path:
        if self._template is None:
            self._template = self._root / "empty.sqlite"
            engine = make_engine(_url(self._template))
            try:
                upgrade(engine)
            finally:
                engine.dispose()
        self._made += 1
        target = self._root / f"trial-{self._made}" / "store.sqlite"
        target.parent.mkdir(parents=True)
        source, copy = sqlite3.connect(self._template), sqlite3.connect(target)
        try:
            source.backup(copy)  # consistent even while the template's WAL is not merged
        finally:
            source.close()
            copy.close()
        return target


def _url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def run_trial(
    loaded: LoadedTask,
    *,
    trial: int,
    model: str | None,
    fixture: dict[str, Any],
    store: Path,
    model_factory: ModelFactory | None = None,
) -> TrialResult:
    """One conversation of `loaded` on a fresh copy of its fixture, judged."""
    task = loaded.task
    overrides: dict[str, Any] = {
        "database_url": _url(store),
        "var_dir": store.parent,
        "now": task.now,
    }
    if model:
        overrides["model"] = model
    try:
        settings = load_settings(**overrides)
    except ValidationError as error:
        raise EvalError(f"The configuration is invalid: {error}") from error
    runtime = Runtime(settings=settings, ephemeral_conversations=True)
    try:
        return _play(loaded, trial, runtime, fixture, model_factory)
    finally:
        runtime.close()


def _play(
    loaded: LoadedTask,
    trial: int,
    runtime: Runtime,
    fixture: dict[str, Any],
    model_factory: ModelFactory | None,
) -> TrialResult:
    from crm_store.services.brokers import actor_for, resolve_broker

    task = loaded.task
    try:
        with runtime.unit_of_work() as ctx:
            import_store(ctx, fixture)
        with runtime.unit_of_work() as ctx:
            actor = actor_for(resolve_broker(ctx.session, task.broker), channel=CHANNEL)
            before = export_store(ctx.session)
    except CopilotError as error:
        raise EvalError(f"{loaded.where}: task {task.id}: {error.message()}") from error
    copilot = _copilot(runtime, loaded, model_factory)
    turns: list[TurnRecord] = []
    failures: list[str] = []
    for number, text in enumerate(task.turns, start=1):
        try:
            reply = copilot.send(actor, channel=CHANNEL, text=text)
        except Exception as error:  # a crashed turn fails this trial; the run goes on
            log.exception("eval %s trial %s: turn %s raised", task.id, trial, number)
            failures.append(f"turn {number} ({text!r}) raised {type(error).__name__}: {error}")
            break
        turns.append(_turn(text, reply))
    with runtime.unit_of_work() as ctx:
        after: Export = export_store(ctx.session)
    calls = [call for turn in turns for call in turn.tool_calls]
    outcome = Outcome(
        before=before,
        after=after,
        replies=[text for turn in turns for text in turn.replies],
        tool_calls=calls,
        tz=ZoneInfo(actor.timezone),
    )
    crashed = bool(failures)
    failures += check_expectations(task.expect, outcome)
    writes = None
    if task.expect.tool_calls is not None:
        writes = count_writes(task.expect.tool_calls, calls, copilot.tools, outcome.tz)
    return TrialResult(
        task_id=task.id,
        category=task.category,
        language=task.language,
        trial=trial,
        success=not failures,
        failures=failures,
        turns=turns,
        writes=writes,
        crashed=crashed,
    )


def _copilot(runtime: Runtime, loaded: LoadedTask, factory: ModelFactory | None) -> Copilot:
    """The same conversation engine the channels use; only the model may be injected."""
    if factory is None:
        try:
            return runtime.copilot
        except CopilotError as error:
            raise EvalError(error.message()) from error
        except ImportError as error:  # e.g. a model whose module is not installed
            model = runtime.settings.model
            raise EvalError(f"The model {model!r} cannot be built: {error}") from error
    from langgraph.checkpoint.memory import InMemorySaver

    from agent.conversation import Copilot
    from agent.graph import build_graph
    from tools.registry import all_tools

    return Copilot(
        graph=build_graph(InMemorySaver()),
        backend=runtime,
        tools=all_tools(),
        model_provider=factory(loaded.task, runtime),
    )


def _turn(text: str, reply: Reply) -> TurnRecord:
    return TurnRecord(
        user=text,
        replies=list(reply.texts),
        tool_calls=[dict(call) for call in reply.tool_calls],
        tool_results=list(reply.tool_results),
        model_calls=reply.model_calls,
        tokens_in=reply.tokens_in,
        tokens_out=reply.tokens_out,
        latency_ms=reply.latency_ms,
        pending_confirmation=reply.pending_confirmation,
    )


def run_eval(
    *,
    tasks: Path,
    model: str | None = None,
    trials: int = 1,
    out: Path | None = None,
    progress: bool = False,
    model_provider: ModelFactory | None = None,
) -> EvalSummary:
    """Run every task `trials` times and summarize; with `out`, write summary.json and
    trials.jsonl there. Failing tasks are results; EvalError means the run itself broke."""
    if trials < 1:
        raise EvalError(f"--trials must be at least 1, not {trials}.")
    loaded = load_tasks(tasks)
    fixtures = Fixtures()
    for item in loaded:
        fixtures.get(item)  # a broken fixture stops the run before it starts
    model_name = model or _settings_model()
    results: list[TrialResult] = []
    with (
        tempfile.TemporaryDirectory(prefix="copilot-eval-") as root,
        progress_bar(progress, len(loaded) * trials) as advance,
    ):
        stores = EmptyStores(Path(root))
        for item in loaded:
            for trial in range(1, trials + 1):
                advance(f"{item.task.id} #{trial}")
                store = stores.new()
                result = run_trial(
                    item,
                    trial=trial,
                    model=model,
                    fixture=fixtures.get(item),
                    store=store,
                    model_factory=model_provider,
                )
                results.append(result)
                shutil.rmtree(store.parent, ignore_errors=True)  # a long run keeps no old stores
    if all(result.crashed for result in results):
        raise EvalError(
            f"Every trial crashed, so the run measured nothing: {results[0].failures[0]}"
        )
    summary = summarize(model=model_name, trials=trials, results=results)
    if out is not None:
        write_reports(summary, out)
    return summary


def _settings_model() -> str:
    try:
        return load_settings().model
    except ValidationError as error:
        raise EvalError(f"The configuration is invalid: {error}") from error
