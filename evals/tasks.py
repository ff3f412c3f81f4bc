"""Eval tasks (SPEC §10), one JSON object per line, read strictly: a broken task stops the run."""

from __future__ import annotations

import types
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from crm_store.transfer.schema import ENTITIES, NESTED, SCHEMAS
from crm_store.vocabulary import LANGUAGES

REPO_ROOT = Path(__file__).resolve().parent.parent

Text = Annotated[str, Field(min_length=1)]


def _entity(value: str) -> str:
    if value not in SCHEMAS:
        raise ValueError(f"unknown entity {value!r}; use one of {', '.join(ENTITIES)}")
    return value


EntityName = Annotated[str, AfterValidator(_entity)]


class EvalError(Exception):
    """The run itself cannot go on: a broken task file, fixture, broker or model setting."""


@dataclass(frozen=True)
class TaskProblem:
    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class TaskFileError(EvalError):
    """Task lines that cannot be run, each with file:line and the reason."""

    def __init__(self, problems: list[TaskProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class DbCheck(_Strict):
    """Records of `entity` matching `where`, each with `equals`/`contains`/`excludes`; `count`."""

    entity: EntityName
    where: dict[str, Any] = Field(default_factory=dict)
    equals: dict[str, Any] = Field(default_factory=dict)
    contains: dict[str, Any] = Field(default_factory=dict)
    excludes: dict[str, Any] = Field(default_factory=dict)
    count: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _known_fields(self) -> DbCheck:
        for part in ("where", "equals", "contains", "excludes"):
            for path in getattr(self, part):
                problem = path_problem(self.entity, path)
                if problem:
                    raise ValueError(f"{part}: {problem}")
        return self


class ToolCallCheck(_Strict):
    """A call the model must make: its tool and the arguments that must match."""

    name: Text
    args: dict[str, Any] = Field(default_factory=dict)


class Expect(_Strict):
    db: list[DbCheck] = Field(default_factory=list)
    unchanged: list[EntityName] = Field(default_factory=list)
    no_writes: bool = False
    reply_contains: list[Text] = Field(default_factory=list)
    reply_excludes: list[Text] = Field(default_factory=list)
    tool_calls: list[ToolCallCheck] | None = None  # None: not checked; []: no call expected

    @model_validator(mode="after")
    def _checks_something(self) -> Expect:
        if not (
            self.db
            or self.unchanged
            or self.no_writes
            or self.reply_contains
            or self.reply_excludes
            or self.tool_calls is not None
        ):
            raise ValueError("expect checks nothing; a task must state what success looks like")
        return self


class EvalTask(_Strict):
    """One scripted conversation and what must hold after it."""

    id: Text
    category: Text
    language: str
    fixture: Text
    broker: Text
    now: AwareDatetime
    turns: Annotated[list[Text], Field(min_length=1)]
    expect: Expect

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}")
        return value


@dataclass(frozen=True)
class LoadedTask:
    """A task with where it came from and the fixture file it names, found on disk."""

    task: EvalTask
    path: Path
    line: int
    fixture: Path

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def path_problem(entity: str, path: str) -> str | None:
    """Why `path` names no field of `entity` (a typo would make the check meaningless)."""
    schema = SCHEMAS[entity]
    head, *rest = path.split(".")
    names = [*schema.model_fields, *(f"{ref}_name" for ref in schema.references)]
    if head not in names:
        return f"{entity} has no field {head!r} (fields: {', '.join(names)})"
    if not rest:
        return None
    nested = NESTED.get((entity, head))
    if nested is not None:
        inner = [*nested.model_fields, *(f"{ref}_name" for ref in nested.references)]
        if rest[0] not in inner or len(rest) > 1:
            return f"{entity}.{head} items have fields {', '.join(inner)}, not {'.'.join(rest)!r}"
        return None
    info = schema.model_fields.get(head)
    if info is not None and _holds_object(info.annotation):
        return None  # free-form JSON (facts, payload): any key may be asked for
    return f"{entity}.{head} holds no objects to reach into with {path!r}"


def _holds_object(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_holds_object(arg) for arg in get_args(annotation))
    return annotation is dict or origin is dict


def load_tasks(path: Path) -> list[LoadedTask]:
    """Every task of a .jsonl file or of a directory's *.jsonl files, or TaskFileError naming
    each bad line (file:line: reason), so a broken task file never starts a run."""
    files = _task_files(Path(path))
    loaded: list[LoadedTask] = []
    problems: list[TaskProblem] = []
    first_seen: dict[str, str] = {}
    for file in files:
        for number, raw in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                task = EvalTask.model_validate_json(raw)
            except ValidationError as error:
                problems.append(TaskProblem(file, number, _reason(error)))
                continue
            where = f"{file}:{number}"
            if task.id in first_seen:
                reason = f"duplicate task id {task.id!r} (first at {first_seen[task.id]})"
                problems.append(TaskProblem(file, number, reason))
                continue
            first_seen[task.id] = where
            fixture = resolve_fixture(task.fixture, task_file=file)
            if fixture is None:
                reason = f"fixture {task.fixture!r} not found beside the task file or in the repo"
                problems.append(TaskProblem(file, number, reason))
                continue
            loaded.append(LoadedTask(task=task, path=file, line=number, fixture=fixture))
    if problems:
        raise TaskFileError(problems)
    if not loaded:
        raise EvalError(f"No tasks in {path}: a run needs at least one task line.")
    return loaded


def _task_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise EvalError(f"No *.jsonl task files in {path}.")
        return files
    raise EvalError(f"There is no task file or directory at {path}.")


def resolve_fixture(name: str, *, task_file: Path) -> Path | None:
    """The fixture a task names: as given if absolute, else beside the task file, else from the
    current directory, else from the repository root."""
    given = Path(name)
    if given.is_absolute():
        return given if given.is_file() else None
    for base in (task_file.parent, Path.cwd(), REPO_ROOT):
        candidate = base / given
        if candidate.is_file():
            return candidate.resolve()
    return None


def _reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors(include_url=False):
        where = _loc(item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _loc(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
