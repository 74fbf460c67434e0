"""Which language a message is in, and what BackCare does with it (backcare_nlu/language.py)."""

import glob
import re
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from backcare_nlu.language import (
    LANGUAGE_SCORES,
    OTHER_LANGUAGE_INTENT,
    LanguageDetector,
    clear_language,
    plain,
)

ROOT = Path(__file__).resolve().parent.parent


def detect(text: str) -> Message:
    message = Message(data={TEXT: text, INTENT: {"name": "greet", "confidence": 0.9}})
    LanguageDetector({}).process([message])
    return message


def language(message: Message):
    found = [e["value"] for e in message.get(ENTITIES, []) if e["entity"] == "language"]
    return found[0] if found else None


@pytest.mark.parametrize("text", [
    "hola", "buenos dias", "me duele la cintura desde ayer", "el masaje ayuda?",
    "mi aseguranza cubre los masajes?", "tengo back pain desde el lunes y no se que hacer",
    "¿Dónde puedo encontrar un buen masajista?", "muchas gracias",
    "necesito un masaje para la cintura pls"])
def test_spanish_messages_set_spanish(text):
    assert language(detect(text)) == "es"


@pytest.mark.parametrize("text", [
    "hi", "does massage help with back pain?", "cant feel my legs", "thank you so much",
    "my lower back has been sore since I moved house"])
def test_english_messages_set_english(text):
    assert language(detect(text)) == "en"


@pytest.mark.parametrize("text", ["no", "ok", "si", "hello", "u a real human?"])
def test_words_both_languages_share_change_nothing(text):
    message = detect(text)
    assert language(message) is None
    assert message.get(INTENT)["name"] == "greet"


@pytest.mark.parametrize("text,wanted", [
    ("español", "es"), ("en español por favor", "es"), ("Spanish please", "es"),
    ("English", "en"), ("in english please", "en"), ("inglés", "en")])
def test_naming_a_language_chooses_it(text, wanted):
    assert language(detect(text)) == wanted


@pytest.mark.parametrize("text", [
    "não consigo segurar o xixi e minhas costas doem muito",
    "je ne sens plus mes jambes et j'ai mal au dos",
    "Ich habe starke Rückenschmerzen und Fieber",
    "masakit ang likod ko at may lagnat ako",
    "我的腰很痛", "У меня болит спина"])
def test_other_languages_get_the_other_language_intent(text):
    message = detect(text)
    assert message.get(INTENT)["name"] == OTHER_LANGUAGE_INTENT
    assert language(message) is None


def test_emoji_and_commands_are_not_another_language():
    assert detect("👍").get(INTENT)["name"] == "greet"
    command = detect("/start_guide")
    assert command.get(INTENT)["name"] == "greet" and command.get(LANGUAGE_SCORES) is None


def _english_test_messages():
    texts = []
    for path in glob.glob(str(ROOT / "tests" / "safety" / "*.yml")):
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        if Path(path).stem.startswith("es_"):
            continue
        for section in ("red_flags", "ordinary"):
            for messages in (data.get(section) or {}).values():
                texts += messages
    for name in ("realstyle.yml", "realstyle_blind2.yml"):
        data = yaml.safe_load((ROOT / "tests" / "nlu" / name).read_text(encoding="utf-8"))
        texts += [m["text"] for m in data["messages"]]
    return texts


def test_no_english_test_message_is_read_as_spanish():
    """An English speaker must never be switched to Spanish (over 1,500 messages)."""
    texts = _english_test_messages()
    assert len(texts) > 1000
    spanish = [t for t in texts if clear_language(t) == "es"]
    assert not spanish, spanish[:5]


def test_no_english_test_message_is_read_as_another_language():
    texts = _english_test_messages()
    other = [t for t in texts if detect(t).get(INTENT)["name"] == OTHER_LANGUAGE_INTENT]
    assert not other, other[:5]


def test_plain_drops_accents_but_keeps_enye():
    assert plain("Señora, ¿Está BIEN? Pingüino") == "señora, ¿esta bien? pinguino"


def _spanish_messages():
    texts = []
    for path in sorted((ROOT / "tests" / "safety").glob("es_*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in ("red_flags", "ordinary"):
            for messages in (data.get(section) or {}).values():
                texts += messages
    data = yaml.safe_load((ROOT / "data" / "nlu" / "es.yml").read_text(encoding="utf-8"))
    for block in data["nlu"]:
        texts += [re.sub(r"\[([^]]+)\]\([^)]*\)", r"\1", line[2:])  # annotations out
                  for line in block["examples"].splitlines() if line.startswith("- ")]
    return texts


def test_no_spanish_message_is_read_as_another_language():
    """A Spanish speaker must never be told that BackCare does not speak their language."""
    texts = _spanish_messages()
    assert len(texts) > 500
    other = [t for t in texts if detect(t).get(INTENT)["name"] == OTHER_LANGUAGE_INTENT]
    assert not other, other[:5]


@pytest.mark.parametrize("text", [
    "bonjour, j'ai mal au dos depuis trois jours, est-ce que le massage aide?",
    "bom dia, estou com dor nas costas faz uma semana, massagem ajuda?",
    "guten Tag, ich habe seit drei Tagen Rückenschmerzen, hilft eine Massage?"])
def test_a_question_in_another_language_is_recognised(text):
    assert detect(text).get(INTENT)["name"] == OTHER_LANGUAGE_INTENT
