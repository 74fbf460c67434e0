"""The red-flag safety net on the real spaCy pipeline built by `make install`."""

from pathlib import Path

import pytest
import spacy
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message

from backcare_nlu.safety_net import RedFlagSafetyNet

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = ROOT / "build" / "spacy" / "en_backcare"


@pytest.fixture(scope="module")
def model() -> SpacyModel:
    if not PIPELINE.exists():
        pytest.fail("spaCy pipeline missing: run `make install` first")
    return SpacyModel(model=spacy.load(PIPELINE), model_name=str(PIPELINE))


def parse(model: SpacyModel, text: str, intent: str = "ask_tips") -> Message:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.8},
                            "intent_ranking": [{"name": intent, "confidence": 0.8}]})
    message.set("text_spacy_doc", model.model(text.lower()))
    return RedFlagSafetyNet({}).process([message], model)[0]


def flags(message: Message) -> list:
    return sorted({e["value"] for e in message.get("entities", []) if e["entity"] == "red_flag"})


FLAGGED = [
    ("I have numbness in my groin", "cauda_equina"),
    ("Numbness in my Groin since this morning", "cauda_equina"),
    ("there's some saddle numbness", "cauda_equina"),
    ("I CANNOT PEE", "cauda_equina"),
    ("i can't pee properly", "cauda_equina"),
    ("having trouble urinating since my back went", "cauda_equina"),
    ("difficulty urinating", "cauda_equina"),
    ("it takes ages to start when I try to wee, never used to", "cauda_equina"),
    ("twice this week I didn't make it to the toilet in time", "cauda_equina"),
    ("my left foot started slapping the ground as I walk", "progressive_weakness"),
    ("it's getting harder to lift my toes off the ground", "progressive_weakness"),
    ("I lost control of my bladder last night", "cauda_equina"),
    ("loss of bowel control", "cauda_equina"),
    ("i wet myself", "cauda_equina"),
    ("some incontinence as well", "cauda_equina"),
    ("weakness in both legs", "cauda_equina"),
    ("both legs are going numb", "cauda_equina"),
    ("numb inner thighs", "cauda_equina"),
    ("my buttocks feel numb, numb buttocks basically", "cauda_equina"),
    ("my foot is dragging", "progressive_weakness"),
    ("feet dragging when I walk", "progressive_weakness"),
    ("I think I have foot drop", "progressive_weakness"),
    ("my leg is getting weaker", "progressive_weakness"),
    ("my leg keeps giving way", "progressive_weakness"),
    ("I can't lift my foot", "progressive_weakness"),
    ("I was in a car accident", "trauma"),
    ("car crash last week", "trauma"),
    ("I fell down the stairs", "trauma"),
    ("pain started after a fall", "trauma"),
    ("i have osteoporosis", "trauma"),
    ("I've been on steroids for years", "trauma"),
    ("I have a fever", "infection"),
    ("Fever and back pain", "infection"),
    ("running a high temperature", "infection"),
    ("had an infection last month", "infection"),
    ("my immune system is weak", "infection"),
    ("I'm on chemotherapy", "infection"),
    ("I had cancer five years ago", "cancer_night_pain"),
    ("history of cancer", "cancer_night_pain"),
    ("unexplained weight loss", "cancer_night_pain"),
    ("I've been losing weight without trying", "cancer_night_pain"),
    ("the pain is worse at night", "cancer_night_pain"),
    ("constant pain that never stops", "cancer_night_pain"),
    ("no, but I have a fever", "infection"),
    ("No. I fell down the stairs.", "trauma"),
    ("no I have a fever actually", "infection"),
    ("I'm not sure but I think I have numbness in my groin", "cauda_equina"),
    ("I don't know if it's a fever", "infection"),
    ("I don't have cancer but I have a fever", "infection"),
    ("the tumour came back", "cancer_night_pain"),
    ("I can't feel my groin and I wet myself", "cauda_equina"),
    ("no fever and I was in a car crash", "trauma"),
    ("slipped and fell at work yesterday", "trauma"),
]

NEGATED = [
    "I don't have a fever",
    "no fever",
    "no numbness in my groin",
    "I have no fever and no weakness in both legs",
    "never had cancer",
    "without any fever",
    "I do not have osteoporosis",
    "no car accident or fall, it just started",
    "I haven't had an infection",
    "not on steroids",
    "no history of cancer",
    "I'm not incontinent, no incontinence at all",
    "fever? no",
    "there's no loss of bladder control",
    "neither fever nor weight loss",
    "nothing like a car crash",
]

NOT_RED_FLAGS = [
    "does massage help back pain",
    "how much does a massage cost",
    "which massage is best",
    "my lower back is stiff and sore",
    "can I get a massage after work",
    "is deep tissue massage painful",
    "what does the AMTA do",
]


@pytest.mark.parametrize("text, group", FLAGGED)
def test_red_flag_phrasings_escalate(model, text, group):
    message = parse(model, text)
    assert group in flags(message)
    assert message.get("intent")["name"] == "report_red_flag"
    assert message.get("intent_ranking")[1]["name"] == "ask_tips"


@pytest.mark.parametrize("text", NEGATED + NOT_RED_FLAGS)
def test_negated_or_ordinary_messages_do_not(model, text):
    message = parse(model, text, intent="deny")
    assert flags(message) == []
    assert message.get("intent")["name"] == "deny"


def test_never_removes_a_red_flag_the_classifier_found(model):
    message = parse(model, "I don't have a fever", intent="report_red_flag")
    assert message.get("intent")["name"] == "report_red_flag"


@pytest.mark.parametrize("text, value", [
    ("i'd like a Shiatsu please", "shiatsu"),
    ("deep-tissue", "deep_tissue"),
    ("what about trigger points", "trigger_point"),
    ("myofascial release", "myofascial_release"),
])
def test_massage_types_are_marked(model, text, value):
    message = parse(model, text, intent="inform")
    values = [e["value"] for e in message.get("entities", []) if e["entity"] == "massage_type"]
    assert values == [value]


def test_does_not_duplicate_a_massage_type_diet_found(model):
    message = Message(data={"text": "swedish", "intent": {"name": "inform"},
                            "entities": [{"entity": "massage_type", "value": "swedish",
                                          "start": 0, "end": 7}]})
    message.set("text_spacy_doc", model.model("swedish"))
    RedFlagSafetyNet({}).process([message], model)
    assert len(message.get("entities")) == 1


def test_low_confidence_red_flag_is_not_hidden_by_the_fallback(model):
    message = Message(data={
        "text": "my back went weird after that", "intent": {"name": "nlu_fallback"},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                           {"name": "report_red_flag", "confidence": 0.41},
                           {"name": "ask_tips", "confidence": 0.38}]})
    message.set("text_spacy_doc", model.model("my back went weird after that"))
    RedFlagSafetyNet({}).process([message], model)
    assert message.get("intent")["name"] == "report_red_flag"


def test_fallback_stays_when_something_else_ranked_first(model):
    message = Message(data={
        "text": "hmm", "intent": {"name": "nlu_fallback"},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                           {"name": "ask_tips", "confidence": 0.41},
                           {"name": "report_red_flag", "confidence": 0.38}]})
    message.set("text_spacy_doc", model.model("hmm"))
    RedFlagSafetyNet({}).process([message], model)
    assert message.get("intent")["name"] == "nlu_fallback"


def test_empty_text_is_left_alone(model):
    message = Message(data={"text": "", "intent": {"name": "nlu_fallback"}})
    RedFlagSafetyNet({}).process([message], model)
    assert message.get("intent")["name"] == "nlu_fallback"


def possible(message: Message) -> list:
    return sorted({e["value"] for e in message.get("entities", [])
                   if e["entity"] == "possible_red_flag"})


# Found by reading the negation code and by the vignettes (tests/safety/).
NEWLY_FLAGGED = [
    ("painkillers don't work and both legs feel weak", "cauda_equina"),
    ("the pain won't stop, numb groin too", "cauda_equina"),
    ("I have no bladder control", "cauda_equina"),
    ("no bowel control since yesterday", "cauda_equina"),
    ("peed myself in the car park", "cauda_equina"),
    ("leaking urine since my back went", "cauda_equina"),
    ("cant pee", "cauda_equina"),
    ("I can’t pee", "cauda_equina"),
    ("can't get an erection since the back pain", "cauda_equina"),
    ("my privates feel numb", "cauda_equina"),
    ("numbness around my bum and inner thighs", "cauda_equina"),
    ("cant really feel my butt cheeks", "cauda_equina"),
    ("lost 10 pounds without dieting, back pain", "cancer_night_pain"),
    ("the pain is constant, it wakes me up every night", "cancer_night_pain"),
    ("night sweats and an aching back", "infection"),
    ("I inject drugs", "infection"),
    ("had a kidney transplant", "infection"),
    ("on chemo", "infection"),
    ("I had a fall on saturday", "trauma"),
    ("motorbike accident last week, now lower back pain", "trauma"),
    ("nothing works, fever too", "infection"),
    ("on prednisone for 3 years", "trauma"),
    ("my foot is getting weaker every day", "progressive_weakness"),
    ("foot drop?? ankle wont lift", "progressive_weakness"),
    ("my back is wrecked and i cant control my poop", "cauda_equina"),
    ("since the back pain started I can't hold in my pee", "cauda_equina"),
]


@pytest.mark.parametrize("text, group", NEWLY_FLAGGED)
def test_everyday_phrasings_and_negation_scope(model, text, group):
    message = parse(model, text)
    assert group in flags(message)
    assert message.get("intent")["name"] == "report_red_flag"


@pytest.mark.parametrize("text", [
    "I fell asleep on the couch and woke up stiff",
    "my legs are tired after a long run",
    "I have had back pain for three days after moving furniture",
    "what temperature should the massage room be?",
    "no fever, chills or numbness, just stiff",
    "my back has hurt since last fall",
    "both legs like jelly after leg day, normal doms?",
    "lost 2 stone on purpose and my back feels better",
    "no bladder control problems at all",
    "my hand went numb from my phone",
])
def test_ordinary_messages_name_no_definite_sign(model, text):
    assert flags(parse(model, text, intent="ask_tips")) == []


@pytest.mark.parametrize("text, group", [
    ("can massage spread cancer?", "cancer_night_pain"),
    ("my mum had cancer, can I massage her back?", "cancer_night_pain"),
    ("what if you have a fever, is massage ok?", "infection"),
    ("does massage help after a fall?", "trauma"),
    ("my leg feels weak", "progressive_weakness"),
])
def test_ambiguous_or_hypothetical_signs_are_possible_not_definite(model, text, group):
    message = parse(model, text)
    assert flags(message) == [] and possible(message) == [group]
    assert message.get("intent")["name"] == "report_red_flag"
    assert message.get("intent_ranking")[1]["name"] == "ask_tips"


def test_emergency_signs_escalate_even_in_a_question(model):
    assert flags(parse(model, "is it bad if I can't feel my groin?")) == ["cauda_equina"]


# Issue 28: signs typed the way people type them (written for these tests).
INFORMAL = [
    ("cant feel my legs", "cauda_equina"),
    ("CANT FEEL MY FEET!!", "cauda_equina"),
    ("i cannot feel legs at all since this morning", "cauda_equina"),
    ("my dad cant feel his legs and his back is bad", "cauda_equina"),
    ("my wife lost control of her bladder, back pain for days", "cauda_equina"),
    ("cant controll my bladdr", "cauda_equina"),
    ("numbnes round my grion", "cauda_equina"),
    ("both my legs buckled on the stairs, back is agony", "cauda_equina"),
    ("legs keep giving way under me and my lower back is killing", "cauda_equina"),
    ("peed without realizing it, back pain", "cauda_equina"),
    ("temp of 39 and my back is throbbing", "infection"),
    ("my temperature is 38.4, low back pain", "infection"),
    ("back pain and a 102 fever", "infection"),
    ("thermometer said 101.5 last night and my back aches", "infection"),
    ("back hurts, temp 39c", "infection"),
    ("im at 38.7 and my back hurts", "infection"),
    ("feaver and back ache", "infection"),
    ("finished chemotherapy in may, is massage ok for my back", "infection"),
    ("i had radiotherapy last year and now my back hurts", "cancer_night_pain"),
    ("had a mastectomy 2 years ago, lower back pain now", "cancer_night_pain"),
    ("my back hurts more at night and resting makes no difference", "cancer_night_pain"),
    ("my leg is getting weeker every day", "progressive_weakness"),
    ("got tackled hard at rugby and my back is wrecked", "trauma"),
    ("my pee wont start, i have to push for ages", "cauda_equina"),
    ("i cnat feel my feet and my back is agony", "cauda_equina"),
    ("lying down makes zero difference, it aches all night", "cancer_night_pain"),
    ("been losing weight and no idea why, back aches", "cancer_night_pain"),
]


@pytest.mark.parametrize("text, group", INFORMAL)
def test_informal_spellings_name_the_sign(model, text, group):
    message = parse(model, text)
    assert group in flags(message), (text, message.get("entities"))


@pytest.mark.parametrize("text", [
    "i cant feel my legs, emergency?",
    "my husband cant feel his legs",
])
def test_can_not_feel_both_legs_is_an_emergency_at_once(model, text):
    assert "cauda_equina" in flags(parse(model, text))


@pytest.mark.parametrize("text", [
    "temp is 37.2 and my back is sore",
    "im 42 and my temp was normal this morning",
    "temp 37, age 39, sore back",
    "its 38 degrees outside and my back aches from gardening",
    "did 38.5 hours at work this week and my back hurts",
    "fewer massages this month, back is fine",
    "I had a fever last winter but that's long gone, my back is just stiff",
    "my grandad had prostate cancer, can massage help my sore back",
])
def test_near_misses_in_everyday_spelling_are_not_definite(model, text):
    assert flags(parse(model, text, intent="ask_tips")) == []


@pytest.mark.parametrize("text, group", [
    ("I can't feel my legs after sitting cross-legged, pins and needles gone now",
     "cauda_equina"),
    ("both legs went numb in the cinema but it wore off after a few minutes", "cauda_equina"),
])
def test_a_sign_said_to_have_passed_is_asked_about_first(model, text, group):
    message = parse(model, text)
    assert flags(message) == [] and possible(message) == [group]


@pytest.mark.parametrize("text", [
    "my uncle had bowel cancer, not me, is massage fine for my stiff back",
    "my brother came off his motorbike last year, my back hurts from lifting boxes",
    "my little boy tumbled off the trampoline, he's fine, my lower back is sore now",
])
def test_someone_elses_sign_beside_the_writers_own_back_is_not_asked_about(model, text):
    message = parse(model, text)
    assert flags(message) == [] and possible(message) == []


@pytest.mark.parametrize("text, group", [
    ("my husband has back pain and a fever of 39", "infection"),
    ("my mum fell down the stairs and her back is bad, my back is fine", "trauma"),
    ("my wife cant feel her legs, my back is ok", "cauda_equina"),
])
def test_someone_elses_sign_is_still_caught_when_it_is_about_their_back(model, text, group):
    message = parse(model, text)
    assert group in flags(message) + possible(message)


@pytest.mark.parametrize("text, group", [
    ("🩲💧 again and i never felt it, back is killing me", "cauda_equina"),
    ("🤒 38.9 and my lower back aches", "infection"),
])
def test_emoji_that_stand_for_a_sign_are_read_as_words(model, text, group):
    message = parse(model, text)
    assert group in flags(message)
    assert all(0 <= e["start"] <= e["end"] <= len(text) for e in message.get("entities"))


def test_emoji_alone_name_no_sign(model):
    assert flags(parse(model, "back pain 😩💦 after the gym, any tips?")) == []


@pytest.mark.parametrize("text, group", [
    # someone else acted, the writer was hurt: not someone else's sign
    ("somebody drove into the back of me at the lights and my back is wrecked", "trauma"),
    ("someone shoved me down the steps at a gig, lower back agony since", "trauma"),
    ("car crash, some idiot rear ended me, my lower back is in bits", "trauma"),
    # "fell through" a floor is a fall; only a plan falls through harmlessly
    ("went through the attic ceiling, fell through onto the bed, back is bad", "trauma"),
    # soiling and weight loss in everyday words
    ("my grandad passed stool in his trousers and didnt notice, his back has been bad",
     "cauda_equina"),
    ("jeans hanging off me, havent been trying to lose weight, back aches", "cancer_night_pain"),
    ("my back ache never stops, not even lying still on the sofa", "cancer_night_pain"),
    # foot drop as it is felt, night pain typed on a phone
    ("my left foot keeps catching on the rug and now i cant lift the front of my foot at all",
     "progressive_weakness"),
    ("cant stand on my tip toes on my right side since friday, lower back sore",
     "progressive_weakness"),
    ("pain in my back wakes me every single nite, no matter how i lie", "cancer_night_pain"),
])
def test_signs_told_in_passing_or_by_what_happened_escalate(model, text, group):
    assert group in flags(parse(model, text))


@pytest.mark.parametrize("text", [
    "my plans for a spa day fell through so can you tell me about home massage",
    "the booking fell through, is there another way to find a therapist",
    "not trying to lose weight, just want to know if massage helps my back",
    "fell off the sofa laughing lol, didnt hurt. my back is just stiff from the office",
    "got chills down my spine at that concert, anyway my lower back is tight",
    "my bottom goes numb on the bleachers at soccer, fine once i stand, back aches",
])
def test_everyday_uses_of_the_new_phrases_are_not_signs(model, text):
    assert flags(parse(model, text)) == []


@pytest.mark.parametrize("text, group", [
    ("my bowels went on their own in the night and i had no idea, back is bad", "cauda_equina"),
    ("legs went out from under me on the stairs, lower back in agony", "cauda_equina"),
    ("pins and needles in both my thighs since this morning and my back is killing me",
     "cauda_equina"),
    ("foot wont lift when i walk and my back has been bad for a week", "progressive_weakness"),
    ("a horse kicked me in the back at the stables, can a massage help", "trauma"),
    ("took a big hit playing rugby, back is not right", "trauma"),
    ("back surgery last month and now running a temp", "infection"),
    ("i had radiation for a tumour last year and my back aches now", "cancer_night_pain"),
])
def test_everyday_wording_from_new_writers_escalates(model, text, group):
    assert group in flags(parse(model, text))


@pytest.mark.parametrize("text", [
    "nearly fell on the wet floor at work but caught the rail, back is just stiff",
    "almost got hit by a car on my bike, missed me, shoulders tense, massage?",
    "sweating at night because the heating is stuck on, back a bit stiff",
    "broke my back in a crash years back, all healed, fancy a massage",
    "totally crashing hard after exams, massage for my back?",
    "my legs went weak when i saw the quote lol, anything cheaper",
])
def test_near_misses_from_new_writers_are_not_escalated(model, text):
    assert flags(parse(model, text)) == []


@pytest.mark.parametrize("text", [
    "what does saddle anaesthesia mean? i dont have it, just read the word",
    "is losing bladder control a red flag? asking for a school project",
])
def test_asking_what_an_emergency_sign_means_gets_the_check_question(model, text):
    message = parse(model, text)
    assert flags(message) == [] and possible(message) == ["cauda_equina"]


def test_a_sign_there_now_is_not_calmed_by_something_else_that_wore_off(model):
    # "that wore off" is the spinal block; the numb groin is there now
    text = "my groin is still numb like after my spinal block but that wore off years ago"
    assert "cauda_equina" in flags(parse(model, text))


@pytest.mark.parametrize("text, group", [
    ("keep trippin over my own foot since tuesday, back bad", "progressive_weakness"),
    ("type 2 diabetic, blood sugar 450 all week and my lower back is agony", "infection"),
    ("the nurse said my sugars are through the roof and now my back hurts", "infection"),
    ("hurt my back and i cant controll my bladder, it just comes out", "cauda_equina"),
])
def test_dropped_gs_sugar_readings_and_leaking_are_signs(model, text, group):
    assert group in flags(parse(model, text))


@pytest.mark.parametrize("text, group", [
    # everyday spellings of sign words (content/medical.yml sound_alikes)
    ("cant feel my legz since this morning and my back is awful", "cauda_equina"),
    ("numm between my legs and a bad back", "cauda_equina"),
    ("fel off the shed roof on sunday, back hurts", "trauma"),
    # the person something was done for is not the one with the sign
    ("got an epidural for my twins last month and the spot is hot and swollen", "infection"),
    ("my left foot went floppy this week, back pain too", "progressive_weakness"),
])
def test_misspelt_signs_and_signs_told_with_a_helper_escalate(model, text, group):
    assert group in flags(parse(model, text)) + possible(parse(model, text))


@pytest.mark.parametrize("text", [
    "peed myself laughing at my cousins story, anyway how much is a massage",
    "that film gave me the chills, my back is stiff from the sofa",
    "lost weight since i started running, back is a bit tight",
    "went to sleep on the sofa last night and woke with a stiff bum and back",
])
def test_figures_of_speech_with_sign_words_are_not_signs(model, text):
    assert flags(parse(model, text)) == []


@pytest.mark.parametrize("text", [
    "writing a report on spinal infections for uni, what causes them?",
    "that choir piece gives me chills every time, my back is stiff from standing",
    "almost fell down the stairs with the laundry basket, caught the rail, back just tight",
    "had a tooth infection in spring, dentist sorted it, now just desk back",
    "the old oak fell over in the storm, nobody hurt, raking up after wrecked my back",
])
def test_signs_only_asked_about_or_long_sorted_get_no_urgent_advice(model, text):
    assert flags(parse(model, text)) == []


@pytest.mark.parametrize("text", [
    "my right leg is more useless than the day before and my back aches",
    "a week ago i could run, now my leg wont hold me on the stairs, back is bad",
])
def test_a_leg_getting_worse_day_by_day_is_urgent(model, text):
    assert "progressive_weakness" in flags(parse(model, text))


@pytest.mark.parametrize("text", [
    "my lip went numb at the dentist, local anaesthetic, now my back aches from the chair",
    "numb fingertips from raynauds when its cold, lower back stiff too",
])
def test_an_ambiguous_word_explained_in_its_sentence_is_not_asked_about(model, text):
    message = parse(model, text)
    assert flags(message) == [] and possible(message) == []
