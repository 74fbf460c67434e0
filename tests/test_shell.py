"""`make shell` through a pseudo-terminal: text first, buttons as numbered options."""

import re

import pexpect
import pytest

from backcare_channels import terminal
from backcare_stack.stack import MODEL, ROOT, VENV_BIN, free_port

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BUTTONS = [{"title": "Walk me through it", "payload": "/start_guide"},
           {"title": "Does massage help?", "payload": "/ask_massage_benefits"}]


@pytest.mark.server
def test_typed_questions_are_sent_and_numbers_pick_options(stack, tmp_path):
    child = pexpect.spawn(
        str(VENV_BIN / "python"),
        ["-m", "backcare_channels.terminal", "--model", str(MODEL), "--endpoints",
         "endpoints.yml", "--port", str(free_port())],
        cwd=str(ROOT), env={**stack.env, "TERM": "xterm", "COLUMNS": "200", "LINES": "50"},
        encoding="utf-8", timeout=240, dimensions=(50, 200),
    )
    transcript = tmp_path / "shell.txt"
    child.logfile_read = transcript.open("w")
    try:
        child.expect("Your input ->")
        child.sendline("hello")
        child.expect("2. Does massage help", timeout=60)
        child.expect("Your input ->", timeout=30)
        # After a reply with buttons, a typed question is sent as typed.
        child.sendline("will my health plan pay for a massage?")
        child.expect("full cost", timeout=60)
        child.expect("Your input ->", timeout=30)
        child.sendline("hello")
        child.expect("1. Walk me through it", timeout=60)
        child.expect("Your input ->", timeout=30)
        child.sendline("2")  # the second option: "Does massage help?"
        child.expect("normal activities sooner", timeout=60)
        child.expect("Your input ->", timeout=30)
        child.sendline("my back " * 300)  # 2,400 characters: over the limit
        child.expect("that message is too long", timeout=30)
        child.expect("Your input ->", timeout=30)
    finally:
        child.logfile_read.close()
        child.terminate(force=True)
    screen = ANSI.sub("", transcript.read_text())
    assert "not a doctor" in screen
    assert "Reply with a number:\n1. Walk me through it\n2. Does massage help?" in screen.replace(
        "\r\n", "\n")
    assert "Let's go through it step by step" not in screen  # Enter never picked item 1


@pytest.mark.parametrize("typed, sent", [
    ("2", "/ask_massage_benefits"), ("1.", "/start_guide"), ("3", "3"),
    ("  will my plan pay?  ", "will my plan pay?"), (None, None),
    ("x" * 2001, "/message_too_long"),
])
def test_numbers_pick_options_and_text_is_sent_as_typed(typed, sent):
    assert terminal.answer_for(typed, {"text": "Hi", "buttons": BUTTONS}) == sent


def test_replies_render_like_the_clinic_gateway():
    assert terminal.render({"text": "Hi", "buttons": BUTTONS}) == (
        "Hi\n\nReply with a number:\n1. Walk me through it\n2. Does massage help?")


def test_the_console_patch_refuses_another_rasa_version():
    from rasa.core.channels import console

    from backcare_rasa import patches
    before = console._get_user_input
    with pytest.raises(RuntimeError,
                       match="console._print_bot_output.* of Rasa 3.6.21; this is Rasa 3.7.0"):
        patches.install_text_console(version="3.7.0")
    assert console._get_user_input is before


@pytest.mark.server
def test_a_spanish_conversation_in_the_terminal(stack, tmp_path):
    """'hola' gets the Spanish greeting; option numbers, walk-through and warning follow."""
    child = pexpect.spawn(
        str(VENV_BIN / "python"),
        ["-m", "backcare_channels.terminal", "--model", str(MODEL), "--endpoints",
         "endpoints.yml", "--port", str(free_port())],
        cwd=str(ROOT), env={**stack.env, "TERM": "xterm", "COLUMNS": "200", "LINES": "50"},
        encoding="utf-8", timeout=240, dimensions=(50, 200),
    )
    transcript = tmp_path / "shell-es.txt"
    child.logfile_read = transcript.open("w")
    try:
        child.expect("Your input ->")
        child.sendline("hola")
        child.expect("Responda con un número:", timeout=60)
        child.expect("1. Guíeme paso a paso", timeout=60)
        child.expect("Your input ->", timeout=30)
        child.sendline("1")  # "Guíeme paso a paso": the walk-through, in Spanish
        child.expect("¿Le pasa alguna de estas cosas?", timeout=60)
        child.expect("Your input ->", timeout=30)
        child.sendline("no puedo orinar desde ayer y me duele la espalda")
        child.expect("emergencia", timeout=60)
        child.expect("Your input ->", timeout=30)
    finally:
        child.logfile_read.close()
        child.terminate(force=True)
