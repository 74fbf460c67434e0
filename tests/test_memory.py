"""The Rasa server exempts its loaded model from full garbage collections (memory.py)."""

import asyncio
import gc
import time

import pytest

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


def test_the_freeze_is_installed_only_on_the_rasa_it_was_written_for():
    from backcare_rasa import patches

    with pytest.raises(RuntimeError, match="Rasa 3.6.21; this is Rasa 3.7.0"):
        patches.install_gc_freeze(version="3.7.0")


@pytest.mark.server
def test_the_running_server_froze_its_model(stack):
    assert "exempt from garbage collection" in stack.log("rasa")


@pytest.mark.server
def test_a_server_without_the_rest_channel_still_freezes(tmp_path):
    """The freeze belongs to the server, not to a channel credentials.yml may drop."""
    import yaml

    from backcare_stack.stack import ROOT, Stack

    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    del credentials["backcare_channels.rest.ValidatingRestInput"]
    path = tmp_path / "credentials.yml"
    path.write_text(yaml.safe_dump(credentials))
    server = Stack(tmp_path, credentials=str(path))
    try:
        server.start_rasa()
        deadline = time.monotonic() + 30  # logged just after the server starts answering
        while "exempt from garbage collection" not in server.log("rasa"):
            assert time.monotonic() < deadline, server.log("rasa")[-2000:]
            time.sleep(0.5)
    finally:
        server.stop_all()
