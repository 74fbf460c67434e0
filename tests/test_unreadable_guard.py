import pytest
from rasa.shared.nlu.training_data.message import Message

from backcare_nlu.unreadable_guard import UnreadableTextGuard


def classify(text: str, intent: str = "affirm") -> str:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.7}})
    return UnreadableTextGuard().process([message])[0].get("intent")["name"]


UNREADABLE = [
    "😀😀😀",
    "你好，按摩对背痛有帮助吗？",
    "مرحبا، هل يساعد التدليك؟",
    "1234",
    "?!",
    "\x00\x01",
    "   ",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_text_without_latin_letters_falls_back(text):
    assert classify(text) == "nlu_fallback"


@pytest.mark.parametrize("text", ["yes", "né", "ok 👍", "/affirm"])
def test_readable_text_and_button_payloads_keep_their_intent(text):
    assert classify(text) == "affirm"


@pytest.mark.parametrize("text, cleaned", [
    ("\x00\x01", ""),
    ("hello\x00\x01\x07 there", "hello    there"),
    ("is massage\x1b safe?", "is massage  safe?"),
    ("line one\nline two\tend", "line one\nline two\tend"),
])
def test_control_characters_are_removed_before_anything_reads_the_text(text, cleaned):
    from backcare_nlu.unreadable_guard import ControlCharacterFilter
    message = Message(data={"text": text})
    ControlCharacterFilter().process([message])
    assert message.get("text") == cleaned
