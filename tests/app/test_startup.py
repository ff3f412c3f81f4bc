"""Start-up pauses the garbage collector only while loading, and always resumes it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app import startup
from app.startup import loading


@pytest.fixture
def collector() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if not was_enabled:
        gc.disable()


@pytest.mark.usefixtures("collector")
def test_the_cli_process_freezes_what_it_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(startup, "_cli_process", True)
    frozen_before = gc.get_freeze_count()
    with loading():
        assert not gc.isenabled()
        loaded = [[index] for index in range(1000)]  # long-lived objects, like modules' tables
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(loaded)


@pytest.mark.usefixtures("collector")
def test_an_in_process_caller_is_paused_but_never_frozen() -> None:
    assert not startup._cli_process  # tests call the CLI in-process, as a library user would
    frozen_before = gc.get_freeze_count()
    with loading():
        assert not gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen_before


@pytest.mark.usefixtures("collector")
def test_a_failure_while_loading_still_resumes_collection() -> None:
    with pytest.raises(ImportError), loading():
        raise ImportError("a module failed to load")
    assert gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_nested_loading_resumes_only_at_the_outermost_level() -> None:
    with loading():
        with loading():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_a_process_that_runs_without_collection_keeps_it_off() -> None:
    gc.disable()
    with loading():
        pass
    assert not gc.isenabled()
