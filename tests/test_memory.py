"""The Rasa server exempts its loaded model from full garbage collections (memory.py)."""

import asyncio
import gc

import pytest

from backcare_channels.rest import ValidatingRestInput
from backcare_rasa.memory import freeze_loaded_objects


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_freezing_keeps_collecting_what_later_turns_leave_behind(unfrozen):
    asyncio.run(freeze_loaded_objects(None, None))
    assert gc.get_freeze_count() > 1000  # this test process: pytest, Rasa, Sanic

    class Turn:
        pass

    first, second = Turn(), Turn()
    first.other, second.other = second, first  # a cycle only the collector frees
    del first, second
    assert gc.collect() >= 2


def test_every_rasa_server_freezes_once_started():
    """Every server configuration has the REST channel; its start is the hook."""
    routes = ValidatingRestInput().blueprint(lambda message: None)
    starts = [listener for listener in routes._future_listeners
              if listener.event == "after_server_start"]
    assert [listener.listener for listener in starts] == [freeze_loaded_objects]


@pytest.mark.server
def test_the_running_server_froze_its_model(stack):
    assert "exempt from garbage collection" in stack.log("rasa")
