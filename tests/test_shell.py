"""`rasa shell` through a pseudo-terminal, as staff would try BackCare."""

import re

import pexpect
import pytest

from tests.stack import MODEL, ROOT, VENV_BIN, free_port

pytestmark = pytest.mark.server
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_shell_shows_disclaimer_answers_and_numbered_buttons(stack, tmp_path):
    child = pexpect.spawn(
        str(VENV_BIN / "rasa"),
        ["shell", "--model", str(MODEL), "--endpoints", "endpoints.yml",
         "--port", str(free_port())],
        cwd=str(ROOT), env={**stack.env, "TERM": "xterm", "COLUMNS": "200", "LINES": "50"},
        encoding="utf-8", timeout=240, dimensions=(50, 200),
    )
    transcript = tmp_path / "shell.txt"
    child.logfile_read = transcript.open("w")
    try:
        child.expect("Your input ->")
        child.sendline("does massage help with back pain?")
        child.expect("Your input ->", timeout=60)
        child.sendline("hello")
        # The greeting has buttons: offered as numbered choices.
        child.expect("1: Walk me through it", timeout=60)
        child.expect("Type out your own message", timeout=30)
        child.send("\r")  # choose the highlighted first choice: the walk-through
        child.expect("None of these", timeout=60)
        child.sendline("")
    finally:
        child.logfile_read.close()
        child.terminate(force=True)
    screen = ANSI.sub("", transcript.read_text())
    assert "not a doctor" in screen
    assert "get back to everyday activities sooner" in screen
    assert re.search(r"1: Walk me through it \(/start_guide\)", screen)
    assert "safety check" in screen
