"""Build BackCare's Spanish red-flag pipeline offline, from PyPI parts only.

blank Spanish tokenizer + sentencizer + lookup lemmatizer (spacy-lookups-data's
Spanish table, its keys and lemmas as they sound: backcare_nlu.spanish, since
people often type without accents and swap b and v, s and z, drop the h) + a
span ruler whose patterns come from the content file's ``red_flags.spanish``
lists, with the labels of the English pipeline (scripts/setup/build_spacy_model.py):
RED_FLAG, RED_FLAG_POSSIBLE, RED_FLAG_PAIR_A/B, BENIGN, RESOLVED, NOT_THE_WRITER.
The safety net reads a message with it when
the message is at least partly Spanish (backcare_nlu/safety_net.py), read the
same way (backcare_nlu.spanish.spoken).

Every word of a phrase matches every form of its lemma ("no poder orinar"
matches "no puedo orinar", "no pudo orinar"), except a word written "=word",
which matches only itself; an article or possessive may stand in for another
or be left out ("no siento la entrepierna", "no siento
mi entrepierna", "no siento entrepierna"). A fever written as a number counts
from the content file's threshold ("fiebre de 39", "38.5 de calentura").

Usage: python scripts/setup/build_spanish_model.py OUTPUT_DIR [CONTENT_FILE]
"""

import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List

import spacy
import spacy_lookups_data
import srsly
import yaml
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH_STOP_WORDS

from backcare_nlu.spanish import spoken
from backcare_nlu.spelling import MIN_LETTERS, one_edit
from backcare_nlu.triage import pair_id
from scripts.setup.build_spacy_model import (
    LABEL_BENIGN,
    LABEL_NOT_WRITER,
    LABEL_POSSIBLE,
    LABEL_RED_FLAG,
    LABEL_RESOLVED,
    LABELS_PAIRED,
    RED_FLAG_SPANS,
    build_and_save,
    number_regex,
    read_pair,
)

# Words that may stand in for each other, or be left out, before a noun ("esta"
# is not one: without its accent it is also "está", "is").
DETERMINERS = ["el", "la", "los", "las", "lo", "mi", "mis", "su", "sus", "tu", "tus", "un",
               "una", "unos", "unas"]
# After a number: not a body temperature.
NOT_TEMPERATURE = ["horas", "hora", "hrs", "minutos", "min", "libras", "lbs", "kilos", "kg",
                   "anos", "años", "dias", "semanas", "meses", "dolares", "millas", "km", "%",
                   "por", "pesos", "cm", "mg", "pasos", "veces"]
WEATHER = ["afuera", "hoy", "aqui", "alla", "en", "de", "calor", "sol"]
NOT_BODY = ["agua", "tina", "bano", "jacuzzi", "sauna", "horno", "cuarto", "casa", "clima",
            "carro", "regadera", "ducha", "piscina", "alberca", "afuera", "hace", "estamos",
            "calor", "sol"]


def spoken_lemmas(nlp: spacy.Language) -> Dict[str, str]:
    """Replace the lemma table by one keyed and valued as the net reads (backcare_nlu.spanish)."""
    lookups = nlp.get_pipe("lemmatizer").lookups
    # spaCy's table keeps only hashes of its keys: read the words from the package.
    words = srsly.read_gzip_json(Path(spacy_lookups_data.__file__).parent / "data"
                                 / "es_lemma_lookup.json.gz")
    table: Dict[str, str] = {}
    for form, lemma in words.items():
        table.setdefault(spoken(form), spoken(lemma))
    for form, lemma in words.items():  # a form spelt as it sounds wins
        if spoken(form) == form:
            table[form] = spoken(lemma)
    lookups.remove_table("lemma_lookup")
    lookups.add_table("lemma_lookup", table)
    return table


def phrase_pattern(nlp: spacy.Language, phrase: str) -> List[Dict[str, Any]]:
    """Token pattern: every word by lemma; a determiner may be another or none.

    A word written "=cai" matches only itself: "me =cai" is "I fell", not "me
    cayó" ("it fell on me", or "se me cayó el celular": I dropped my phone).
    """
    pattern: List[Dict[str, Any]] = []
    for word in spoken(phrase).split():
        if word.startswith("="):
            pattern.append({"LOWER": word[1:]})
            continue
        for token in nlp(word):
            if token.lower_ in DETERMINERS:
                pattern.append({"LOWER": {"IN": DETERMINERS}, "OP": "?"})
            else:
                pattern.append({"LEMMA": token.lemma_})
    return pattern


def _spoken(words: List[str]) -> List[str]:
    return [spoken(word) for word in words]


def spoken_grammar(grammar: Dict[str, Any]) -> Dict[str, Any]:
    """The grammar lists as the net reads words (its tokens are ``spoken``)."""
    return {name: (value if not isinstance(value, list) else
                   [[spoken(w) for w in item] if isinstance(item, list) else spoken(str(item))
                    for item in value])
            for name, value in grammar.items()}


def temperature_patterns(group_id: str, temperature: Dict, words: List[str]) -> Iterable[Dict]:
    """'fiebre de 39', '39 de calentura', '38.5', '101 f'; not '39 grados afuera'."""
    fever = {"LEMMA": {"IN": words}}
    gap = [{"LIKE_NUM": False, "IS_PUNCT": False, "OP": "?"}] * 3
    link = {"LOWER": {"IN": _spoken(["de", "grados", "°", "c", "f", "°c", "°f"])}, "OP": "?"}
    degrees = {"LOWER": {"IN": _spoken(["grados", "°", "°c", "°f"])}}
    for scale, high in (("celsius", 45), ("fahrenheit", 113)):
        unit = spoken(scale[0])  # "c" reads as "k"
        number = {"LOWER": {"REGEX": number_regex(temperature[scale], high, unit)}}
        alone = {"LOWER": {"REGEX": number_regex(temperature[scale], high, unit, True)}}
        for pattern in ([fever, *gap, number], [number, link, link, fever], [alone],
                        [number, degrees]):
            yield {"label": LABEL_RED_FLAG, "id": group_id, "pattern": pattern}
        for other in ([number, {"LOWER": {"IN": _spoken(NOT_TEMPERATURE)}}],
                      [number, degrees, {"LOWER": {"IN": _spoken(WEATHER)}}],
                      [{"LOWER": {"IN": _spoken(NOT_BODY)}}, *gap[:2], number]):
            yield {"label": LABEL_BENIGN, "id": "benign", "pattern": other}


def red_flag_patterns(nlp: spacy.Language, content: Dict) -> Iterable[Dict]:
    """Span-ruler patterns from ``red_flags.spanish``."""
    spanish = content["red_flags"]["spanish"]
    english = {g["id"]: g for g in content["red_flags"]["groups"]}
    for group_id, group in spanish["groups"].items():
        for label, key in ((LABEL_RED_FLAG, "phrases"), (LABEL_POSSIBLE, "possible_phrases")):
            for phrase in group.get(key) or []:
                yield {"label": label, "id": group_id, "pattern": phrase_pattern(nlp, phrase)}
        for number, pair in enumerate(group.get("paired_phrases") or []):
            first, second, strong = read_pair(pair)
            for label, phrases in zip(LABELS_PAIRED, (first, second), strict=True):
                for phrase in phrases:
                    yield {"label": label, "id": pair_id(group_id, number, strong),
                           "pattern": phrase_pattern(nlp, phrase)}
        if group.get("temperature_words"):
            lemmas = [nlp(spoken(w))[0].lemma_ for w in group["temperature_words"]]
            yield from temperature_patterns(group_id, english[group_id]["temperature"], lemmas)
    for label, key in ((LABEL_BENIGN, "benign_phrases"), (LABEL_RESOLVED, "resolved_phrases"),
                       (LABEL_NOT_WRITER, "not_the_writer_phrases")):
        for phrase in spanish.get(key) or []:
            yield {"label": label, "id": key.split("_")[0], "pattern": phrase_pattern(nlp, phrase)}


def spelling(rules: List[Dict], table: Dict[str, str]) -> Dict[str, Any]:
    """One-letter typos of Spanish red-flag words, for backcare_nlu.spelling ("orinat").

    The red-flag words are the lemmas the patterns match on (five letters or
    more) and their forms in the lemma table. A word one edit from one of them
    that is itself a Spanish word (a form or lemma in the table) is never
    corrected: "pena" is not "pene"; nor is an English word ("please").
    """
    lemmas = {token["LEMMA"] for rule in rules
              if rule["label"] not in (LABEL_BENIGN, LABEL_RESOLVED, LABEL_NOT_WRITER)
              for token in rule["pattern"] if isinstance(token.get("LEMMA"), str)
              and token["LEMMA"].isalpha() and len(token["LEMMA"]) >= MIN_LETTERS}
    forms = {lemma: lemma for lemma in lemmas}
    forms.update({form: lemma for form, lemma in table.items()
                  if lemma in lemmas and len(form) >= MIN_LETTERS - 1 and form.isalpha()})
    everyday = {spoken(word) for word in SPANISH_STOP_WORDS}  # "cada" is never "nada"
    # English words in a mixed message are not Spanish typos ("please").
    english = srsly.read_gzip_json(Path(spacy_lookups_data.__file__).parent / "data"
                                   / "en_lemma_lookup.json.gz")
    words = set(table) | set(table.values()) | everyday | {
        spoken(word) for word in (*english, *english.values()) if word.isalpha()}
    common = ({near for form in forms for near in one_edit(form) if near in words}
              | everyday) - set(forms)
    return {"forms": dict(sorted(forms.items())), "common": sorted(common), "alikes": {}}


def build(content_path: Path) -> spacy.Language:
    """Assemble the Spanish pipeline; nothing is downloaded."""
    nlp = spacy.blank("es")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    table = spoken_lemmas(nlp)
    content = yaml.safe_load(content_path.read_text(encoding="utf-8"))
    rules = list(red_flag_patterns(nlp, content))
    speller = spelling(rules, table)
    nlp.add_pipe("span_ruler", config={"spans_key": RED_FLAG_SPANS}).add_patterns(rules)
    groups = content["red_flags"]["groups"]
    nlp.meta.update({
        "backcare": {"emergency_groups": [g["id"] for g in groups if g["urgency"] == "emergency"],
                     "grammar": spoken_grammar(content["red_flags"]["spanish"]["grammar"]),
                     "spelling": speller},
        "name": "backcare_es", "version": "1.0.0",
        "description": "BackCare: blank Spanish + accent-free lookup lemmatizer + red-flag ruler",
        "spacy_version": f">={spacy.__version__},<3.5.0",
    })
    return nlp


def main(argv: List[str]) -> int:
    """Build and save the pipeline."""
    nlp = build_and_save(argv, build, __doc__ or "")
    print(f"Spanish pipeline {nlp.pipe_names} with {len(nlp.get_pipe('span_ruler'))} patterns "
          f"saved to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
