"""Actions answer in the conversation's language (actions/language.py)."""

import pytest

from actions import CLINIC, CONTENT
from actions.content import load_content
from actions.disclaimer import ActionSessionStart
from actions.handoff import ActionOtherLanguage
from actions.safety import ActionAskRedFlagAnswer, ActionTriageRedFlag
from actions.text import fill
from tests.conftest import entity, shown, slot_events

SPANISH = load_content(language="es")
ENGLISH = load_content()


async def test_a_spanish_conversation_gets_spanish_emergency_advice(dispatcher, make_tracker,
                                                                    domain):
    tracker = make_tracker(intent="report_red_flag", slots={"language": "es"},
                           entities=[entity("red_flag", "cauda_equina")])
    await ActionTriageRedFlag().run(dispatcher, tracker, domain)
    said = "\n".join(shown(dispatcher, domain, "es"))
    assert fill(SPANISH.red_flags["cauda_equina"].advice, CLINIC) in said
    assert ENGLISH.red_flags["cauda_equina"].advice.split("{")[0] not in said
    assert "Fuente:" in said and SPANISH.notices["not_a_diagnosis"] in said


async def test_an_english_conversation_still_gets_english(dispatcher, make_tracker, domain):
    tracker = make_tracker(intent="report_red_flag", entities=[entity("red_flag", "trauma")])
    await ActionTriageRedFlag().run(dispatcher, tracker, domain)
    said = "\n".join(shown(dispatcher, domain))
    assert ENGLISH.red_flags["trauma"].advice.split("{")[0] in said
    assert "Source:" in said


async def test_the_check_question_is_asked_in_spanish(dispatcher, make_tracker, domain):
    tracker = make_tracker(slots={"language": "es", "red_flag_check": "infection"})
    await ActionAskRedFlagAnswer().run(dispatcher, tracker, domain)
    assert SPANISH.red_flags["infection"].check_question in "\n".join(
        shown(dispatcher, domain, "es"))


async def test_outside_an_action_the_content_is_english():
    assert CONTENT.disclaimer.text == ENGLISH.disclaimer.text


@pytest.mark.parametrize("language, content", [("es", SPANISH), ("en", ENGLISH)])
async def test_the_first_message_sets_the_language_of_the_disclaimer(
        dispatcher, make_tracker, domain, language, content):
    tracker = make_tracker(slots={"session_started_metadata": {"language": language}})
    events = await ActionSessionStart().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"] == content.disclaimer.text
    assert slot_events(events)["language"] == language


async def test_another_language_gets_both_languages_and_the_emergency_number(
        dispatcher, make_tracker, domain):
    await ActionOtherLanguage().run(dispatcher, make_tracker(intent="other_language"), domain)
    (said,) = shown(dispatcher, domain)
    assert "English or Spanish" in said and "inglés o en español" in said
    assert said.count(CLINIC.emergency_number) == 2
