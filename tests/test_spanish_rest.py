"""A Spanish speaker through the REST channel: understood, warned and walked through in Spanish."""

import uuid
from pathlib import Path

import pytest
import yaml

from actions import CLINIC
from actions.content import load_content
from actions.text import fill, variant_for
from backcare_stack.stack import texts

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
RESPONSES = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
ES, EN = load_content(language="es"), load_content()


def said(name: str, language: str) -> str:
    """A domain response's text in one language (placeholders cut off)."""
    return variant_for(RESPONSES[name], language)["text"].split("{")[0]


def chat(stack, *messages):
    sender = f"es-{uuid.uuid4().hex[:8]}"
    return [texts(stack.say(sender, message)) for message in messages]


def test_hola_gets_the_spanish_disclaimer_and_greeting(stack):
    (reply,) = chat(stack, "hola")
    assert ES.disclaimer.text in reply and EN.disclaimer.text not in reply
    assert said("utter_greet", "es") in reply


@pytest.mark.parametrize("message, group", [
    ("no puedo orinar desde ayer y tengo mucho dolor de espalda", "cauda_equina"),
    ("se me duerme la entrepierna y me duele la cintura", "cauda_equina"),
    ("tengo calentura de 39 y me duele la espalda", "infection"),
    ("me cai de la escalera ayer y ahora no aguanto la espalda", "trauma"),
])
def test_a_spanish_red_flag_gets_spanish_urgent_advice_at_once(stack, message, group):
    (reply,) = chat(stack, message)
    assert fill(ES.red_flags[group].advice, CLINIC) in reply, reply
    assert EN.red_flags[group].advice.split("{")[0] not in reply


def test_a_spanish_denial_gets_an_answer_not_a_warning(stack):
    replies = chat(stack, "hola", "no tengo fiebre ni nada raro, solo me duele la espalda de "
                                  "cargar cajas, me ayuda un masaje?")
    assert not any(g.advice.split("{")[0] in replies[1] for g in ES.red_flags.values())
    assert not any(g.check_question in replies[1] for g in ES.red_flags.values())
    # An answer, or a request to rephrase, in Spanish: never English.
    assert (any(fact.text in replies[1] for fact in ES.facts.values())
            or said("utter_ask_rephrase", "es") in replies[1]), replies[1]


def test_a_possible_sign_is_asked_about_in_spanish_and_si_escalates(stack):
    _, asked, after_yes = chat(stack, "hola", "tengo hormigueo y mucho dolor de espalda", "sí")
    assert ES.red_flags["cauda_equina"].check_question in asked
    assert fill(ES.red_flags["cauda_equina"].advice, CLINIC) in after_yes


def test_another_language_is_told_english_or_spanish_with_the_emergency_number(stack):
    (reply,) = chat(stack, "bonjour, j'ai mal au dos depuis trois jours, "
                           "est-ce que le massage aide?")
    assert "English or Spanish" in reply and "inglés o en español" in reply
    assert CLINIC.emergency_number in reply


def test_a_walk_through_started_in_spanish_runs_every_step_in_spanish(stack):
    replies = chat(stack, "hola", "quiero que me guie paso a paso para probar un masaje",
                   "ninguna", "sí", "masaje sueco", "sí", "sí", "sí")
    steps = ["utter_ask_screen_result", "utter_ask_doctor_check",
             "utter_ask_chosen_massage_type", "utter_ask_credentials_status",
             "utter_ask_posture_noted", "utter_ask_insurance_status"]
    for step, reply in zip(steps, replies[1:], strict=False):
        assert said(step, "es") in reply, (step, reply)
        assert said(step, "en") not in reply
    assert ES.guide["red_flag_intro"] in replies[1]
    assert said("utter_plan_header", "es") in replies[-1]
    assert fill(ES.plan["doctor_done"], CLINIC) in replies[-1]


def test_switching_language_mid_walk_through_keeps_the_step(stack):
    replies = chat(stack, "hola", "quiero que me guie paso a paso para probar un masaje",
                   "ninguna", "English", "yes")
    assert said("utter_ask_doctor_check", "es") in replies[2]
    assert said("utter_language_chosen", "en") in replies[3]
    assert said("utter_ask_doctor_check", "en") in replies[3]  # the same step, in English
    assert said("utter_ask_chosen_massage_type", "en") in replies[4]


def test_an_english_conversation_can_switch_to_spanish(stack):
    _, switched, answer = chat(stack, "hello", "español",
                               "el masaje ayuda con el dolor de espalda?")
    assert said("utter_language_chosen", "es") in switched
    assert ES.facts["massage_benefit"].text in answer
