"""The Spanish safety net (scripts/setup/build_spanish_model.py; red_flags.spanish in content)."""

import pytest

from backcare_nlu.safety_net import spanish_pipeline
from backcare_nlu.spanish import spoken
from backcare_nlu.spelling import spelling_for
from backcare_nlu.triage import find_signs
from backcare_stack.stack import ROOT

NLP, GRAMMAR, EMERGENCY = spanish_pipeline(str(ROOT / "build" / "spacy" / "es_backcare"))


def signs(text):
    """As the safety net reads a Spanish message: by sound, one-letter typos respelt."""
    doc = spelling_for(NLP).respell(NLP(spoken(text)), NLP)
    return {(s.group, s.definite) for s in find_signs(doc, EMERGENCY, GRAMMAR)}


@pytest.mark.parametrize("text, group", [
    ("no puedo orinar desde ayer", "cauda_equina"),
    ("no puedo controlar la bejiga", "cauda_equina"),           # b for v
    ("me ize pipi sin darme cuenta", "cauda_equina"),           # z for c, no h
    ("se me durmio la entrepierna y me duele la cintura", "cauda_equina"),
    ("tengo calentura de 39 y dolor de espalda", "infection"),  # a fever as a number
    ("arrastro el pie derecho y cada dia esta peor", "progressive_weakness"),
    ("ase tres dias me cai de la escalera", "trauma"),
    ("tuve cancer de seno y ahora me duele la espalda", "cancer_night_pain"),
    ("no puedo orinat desde anoche", "cauda_equina"),            # one-letter typos
    ("tengo fievre y me duele la espalda", "infection"),
    # everyday words for foot drop and for retention, third person too (es_dev4)
    ("ya no me puedo parar de puntitas y la espalda me duele", "progressive_weakness"),
    ("se me cae la chancla sin darme cuenta y tengo lumbago", "progressive_weakness"),
    ("mi esposo lleva desde ayer sin orinar y le duele la espalda", "cauda_equina"),
    ("tengo que pujar mucho para poder orinar desde que me lastime la espalda", "cauda_equina"),
    ("no tengo sensacion en las nalgas desde ayer y me duele la cintura", "cauda_equina"),
    ("se me debilitaron las dos piernas de repente con este dolor de espalda", "cauda_equina"),
    # a simile of numbness, straining to pass water, a dropped weight (es_dev12)
    ("siento como si estuviera dormida la entrepierna y la cintura me mata", "cauda_equina"),
    ("traigo las nalgas como con anestesia desde el lunes, y la espalda fatal", "cauda_equina"),
    ("para orinar tengo que hacer mucha fuerza desde que me lastime la espalda", "cauda_equina"),
    ("ya no siento nada cuando estoy con mi marido y me duele la espalda", "cauda_equina"),
    ("haciendo peso muerto se me cayo la pesa sobre la espalda", "trauma"),
])
def test_a_sign_typed_as_people_type_is_definite(text, group):
    assert (group, True) in signs(text)


@pytest.mark.parametrize("text", [
    "no tengo fiebre ni nada, solo me duele la espalda",
    "sin problemas para orinar, gracias a dios",
    "me cai de la risa con el video",
    "se me cayo el celular en la cara",
    "baje de peso con dieta y ejercicio",
    "el masaje de piernas tambien ayuda para la espalda?",
    "hace 39 grados afuera y me duele la espalda",
    "cada dia me duele menos la espalda",                     # "cada" is not a typo of "nada"
    "me da pena ir al masaje, spanish please",                # nor "please" of anything
    "con esta calentura de verano hasta la espalda me duele",  # the weather, not a fever
    "siento escalofrios de la emocion por mi primer masaje",
    "la caida del sistema nos tuvo sentados todo el dia y ahora me duele la espalda",
    "mi perro se cayo del sillon y me lastime la espalda al cargarlo",
    "la quimio de mi gato ya termino, ahora quiero un masaje para la espalda",
])
def test_ordinary_spanish_is_not_a_sign(text):
    assert not signs(text)


@pytest.mark.parametrize("text", [
    "hace años tuve una infeccion en el riñon pero ya nada que ver, ahora es la espalda",
    "no puedo orinar en baños publicos pero siempre ha sido asi, hoy me duele la espalda",
])
def test_a_sign_long_past_or_lifelong_is_asked_about_not_escalated(text):
    assert signs(text) and all(not definite for _, definite in signs(text))


def test_a_passed_sign_is_asked_about_not_escalated():
    assert signs("se me durmio la pierna sentada en el baño pero ya se me paso") <= {
        ("cauda_equina", False), ("progressive_weakness", False)}


def test_spoken_reads_spanish_as_it_sounds():
    assert spoken("Vejiga") == spoken("bejiga") == "bejiga"
    assert spoken("hice pipí") == spoken("ize pipi")
    assert spoken("llamé") == "yame" and spoken("mucho") == "mucho"


@pytest.mark.parametrize("text", [
    "que pasa si uno no puede orinar y le duele la espalda? solo pregunto, yo no tengo eso",
    "por curiosidad, que significa cuando dicen que se duerme la entrepierna?",
    "lei que no sentir las nalgas es una emergencia, ahorita no tengo nada de eso",
])
def test_an_emergency_only_asked_about_gets_the_check_question(text):
    """Asked in general by someone who says they only ask: possible, never dropped."""
    assert signs(text) and all(not definite for _, definite in signs(text))
    assert ("cauda_equina", False) in signs(text)


@pytest.mark.parametrize("text", [
    "lei que es grave pero yo no puedo orinar desde ayer y me duele la espalda",
    "mi esposo no puede orinar desde ayer, yo no tengo nada, que hacemos",
    "por curiosidad no, de verdad: no siento las nalgas desde anoche",
    "mi abuela no ha podido mear desde la mañana y le duele la cintura",
])
def test_an_emergency_someone_has_still_escalates_at_once(text):
    assert ("cauda_equina", True) in signs(text)


def test_the_lower_back_is_not_read_as_the_groin():
    """"la parte baja de la espalda" is the lower back, not "las partes"."""
    assert ("cauda_equina", True) not in signs(
        "se me duermen los dedos del pie a veces y me duele la parte baja de la espalda")
    assert ("cauda_equina", True) in signs("se me duermen mis partes y me duele la cintura")


@pytest.mark.parametrize("text, group", [
    # a sentence end closes the clause: "como nunca" does not negate the next sentence
    ("la espalda me duele como nunca. Tomo pastillas por los huesos debiles", "trauma"),
    ("no se. ayer me cai en el trabajo y me duele la cintura", "trauma"),
    # the writer's own cancer, even when the cancer is "de mama"
    ("me dio cancer de mama hace tres años y ahora me duele la espalda", "cancer_night_pain"),
    ("llevo 10 horas sin poder mear y me duele la cintura", "cauda_equina"),
    ("el pie derecho se me esta quedando sin fuerza y me duele la espalda", "progressive_weakness"),
])
def test_sentence_ends_and_relatives_do_not_hide_a_sign(text, group):
    assert (group, True) in signs(text)


@pytest.mark.parametrize("text", [
    # a relative named after "mi", the writer's own back told without "mi"
    "mi mama tuvo cancer de colon hace años. me duele la espalda de cargar cajas",
    # what the writer was reading, no "I" after it
    "estaba leyendo que la fiebre con dolor de espalda es mala, que masaje me recomiendan",
    "anoche sude mucho en las noches porque hace calor, y me duele la espalda",
    "no siento las piernas de tanto caminar en el parque, y la espalda igual",
])
def test_a_relatives_sign_or_a_read_one_is_not_the_writers(text):
    assert not any(definite for _, definite in signs(text))


def test_something_heavy_falling_on_the_back_is_trauma_but_a_dropped_phone_is_not():
    # "se me cayo una" is everyday (a dropped cup); on the back it is an injury
    assert ("trauma", True) in signs("se me cayo una caja bien pesada en la espalda en el trabajo")
    assert not signs("se me cayo el telefono y al recogerlo senti un jalon en la espalda")


def test_an_age_in_the_sentence_does_not_cancel_a_sign_word_pair():
    # "40 años" is read as not-a-temperature; it must not calm "no se me para ... desde que"
    assert ("cauda_equina", True) in signs(
        "desde que empezo el dolor de cintura ya no se me para, tengo 40 años")


@pytest.mark.parametrize("text, group", [
    ("alguien me empujo en la fila y cai, desde entonces me duele la espalda", "trauma"),
    ("en el partido me dieron un rodillazo en la cintura y no aguanto", "trauma"),
    ("la pierna izquierda no me da fuerza y cada semana es peor, me duele la espalda",
     "progressive_weakness"),
    ("se me queda colgando el pie cuando camino y tengo ciatica", "progressive_weakness"),
    ("el dolor de espalda no se va con nada y los pantalones se me caen", "cancer_night_pain"),
    ("paso la noche en vela por la espalda, no hallo como acomodarme", "cancer_night_pain"),
])
def test_everyday_words_for_weakness_blows_and_night_pain(text, group):
    assert group in {g for g, _ in signs(text)}


def test_an_agent_before_the_writer_is_not_someone_elses_sign():
    # "alguien" is someone else only when the writer is not the one it happened to
    assert ("trauma", True) in signs("alguien me choco por detras y ahora me duele la espalda")


@pytest.mark.parametrize("text, group", [
    ("mi papa se hizo pipi en la cama sin sentirlo y tiene dolor de espalda", "cauda_equina"),
    ("llevo toda la tarde sin poder miar y me duele la cintura", "cauda_equina"),
    ("no consigo orinar desde la mañana y la espalda me esta matando", "cauda_equina"),
    # a time in the sentence does not cancel both legs going numb
    ("ayer en la noche se me durmieron las dos piernas y me duele la espalda", "cauda_equina"),
    ("de pronto deje de sentir las piernas y la espalda me duele mucho", "cauda_equina"),
    ("el termometro dice 38.8 y me duele la espalda", "infection"),
    ("me volque en la cuatrimoto y me duele la espalda", "trauma"),
])
def test_more_everyday_words_for_emergencies_fever_and_falls(text, group):
    assert (group, True) in signs(text)


@pytest.mark.parametrize("text", [
    "me orino de la risa con ese video, y la espalda normal",
    "el aire estaba tan fuerte que me dieron escalofrios con el aire en la sala de masaje",
    "mi compadre se cayo de la escalera pero yo estoy bien, cuanto cuesta un masaje?",
    "el doctor me quito la prednisona hace mucho, ya no tomo nada de eso",
    "soy enfermera y me preguntan sobre la cauda equina, yo solo tengo la espalda tensa",
    "mi suegra tiene incontinencia desde hace años, el doctor ya lo sabe; a mi me duele la cintura",
    "trabajo de cajera y aguanto las ganas de orinar todo el dia, no es que no pueda, "
    "y me duele la espalda",
])
def test_laughing_a_cold_room_a_friends_fall_and_old_pills_are_not_signs(text):
    assert not any(definite for _, definite in signs(text))


@pytest.mark.parametrize("text, group", [
    ("tengo la glucosa en 450 desde el lunes y me duele mucho la espalda", "infection"),
    ("la pierna derecha mas flojita cada semana y dolor de cintura", "progressive_weakness"),
    ("mis dos pierna no tienen fuerza y me duele la espalda", "cauda_equina"),
])
def test_sugar_readings_and_weak_legs_in_everyday_spanish(text, group):
    assert (group, True) in signs(text)


def test_a_nurse_listing_warning_signs_gets_no_emergency_advice():
    assert ("cauda_equina", True) not in signs(
        "soy enfermera y a mis pacientes les digo que descarten cosas como fiebre o "
        "perdida del control de esfinteres antes de un masaje")
