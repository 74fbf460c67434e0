"""`python -m backcare_rasa`: Rasa's CLI, with serving settings for `run` only."""

import sys

import pytest
import rasa.__main__

from backcare_rasa import __main__ as entry

THREADS = list(entry.SERVING_TF_THREADS)


@pytest.fixture
def rasa_cli(monkeypatch):
    """Run the entry point up to Rasa's CLI; record the TensorFlow settings it sees."""
    seen = {}
    monkeypatch.setattr(entry.patches, "install_action_client", lambda: None)
    monkeypatch.setattr(rasa.__main__, "main",
                        lambda: seen.update({name: entry.os.environ.get(name) for name in THREADS}))
    for name in THREADS:
        monkeypatch.delenv(name, raising=False)

    def call(*argv: str) -> dict:
        monkeypatch.setattr(sys, "argv", ["backcare_rasa", *argv])
        entry.main()
        return seen

    return call


def test_a_server_runs_tensorflow_on_one_thread_per_operation(rasa_cli):
    assert rasa_cli("run", "--model", "models/backcare.tar.gz") == dict.fromkeys(THREADS, "1")


def test_training_keeps_tensorflows_threads(rasa_cli):
    assert rasa_cli("train") == dict.fromkeys(THREADS, None)


def test_the_environment_wins(rasa_cli, monkeypatch):
    monkeypatch.setenv("TF_INTRA_OP_PARALLELISM_THREADS", "2")
    assert rasa_cli("run")["TF_INTRA_OP_PARALLELISM_THREADS"] == "2"
