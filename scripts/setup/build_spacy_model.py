"""Build BackCare's English spaCy pipeline offline, from PyPI parts only.

blank English tokenizer + rule-based sentencizer + lookup lemmatizer (tables
from spacy-lookups-data) + two rulers whose patterns, matched on lemmas, come
from the content file:
- an entity ruler for massage types (label MASSAGE_TYPE, in ``doc.ents``);
- a span ruler for red-flag phrases, in ``doc.spans["red_flags"]`` so that
  overlapping matches survive: RED_FLAG (names a sign), RED_FLAG_POSSIBLE (an
  ambiguous word), RED_FLAG_PAIR_A/B (a sign named by two words in one
  sentence, such as "numb" and "groin"), BENIGN (an everyday phrase that
  cancels a match it covers, such as "fell asleep"), RESOLVED (a phrase
  saying a sensation has passed, such as "gone now") and NOT_THE_WRITER ("not
  me", "I haven't").
Each pattern's id is the canonical value (massage type id or red-flag group).

Everyday spelling: the meta lists the red-flag words and their inflected forms
and the common words one edit from them (spaCy's word frequencies), for
backcare_nlu.spelling ("controll", "bladdr", "grion"; "fewer" is not "fever").
A body temperature written as a number
("temp 39", "101.3f") at or above the content file's fever threshold is a
sign when a temperature word stands just after it or up to three words before.

Usage: python scripts/setup/build_spacy_model.py OUTPUT_DIR [CONTENT_FILE]
"""

import math
import sys
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Tuple

import spacy
import spacy_lookups_data
import srsly
import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.lookups import load_lookups

from backcare_nlu.spelling import MIN_LETTERS, one_edit
from backcare_nlu.triage import pair_id

LABEL_MASSAGE = "MASSAGE_TYPE"
LABEL_RED_FLAG = "RED_FLAG"
LABEL_POSSIBLE = "RED_FLAG_POSSIBLE"
LABEL_BENIGN = "BENIGN"
LABEL_RESOLVED = "RESOLVED"
LABEL_NOT_WRITER = "NOT_THE_WRITER"
LABELS_PAIRED = ("RED_FLAG_PAIR_A", "RED_FLAG_PAIR_B")
RED_FLAG_SPANS = "red_flags"


# "can't" is lemmatised "ca" + "not", "cannot" "can" + "not", "can’t" (curly
# apostrophe) "ca" + "n’t": every spelling matches. "my bowels" also matches
# "your bowels" ("is it normal to lose control of your bowels?").
# "my legs" also matches "his legs" (the safety net treats someone else's sign
# by its own rule, backcare_nlu/triage.py).
LEMMA_VARIANTS = {"ca": ["ca", "can"], "can": ["ca", "can"], "wo": ["wo", "will"],
                  "not": ["not", "n’t", "n't", "nt"],
                  "my": ["my", "your", "the", "his", "her", "their"],
                  "myself": ["myself", "yourself", "himself", "herself", "themselves"],
                  }
FALL = ["fall", "falls", "falling", "fallen"]
# "can't" typed as one word that the tokenizer does not split ("cant" it does split).
CANT_TYPOS = ["cnat", "cnt", "cannt", "carnt", "caint", "cabt", "cany"]
# Words often left out when typing fast: "cant feel legs", "lost control of bladder".
OPTIONAL = {"my"}
# Words the lookup lemmatiser maps to a red-flag lemma ("number" -> "numb").
MISLEADING = ["number", "numbers", "numbered"]
# "can't really feel", "feel really unwell", "legs just gave out": one adverb may
# stand after these.
ADVERB_AFTER = {"not", "feel", "leg"}
ADVERBS = ["really", "properly", "even", "quite", "fully", "actually", "totally", "so",
           "very", "just", "generally", "all", "at", "much"]


def lemma_pattern(nlp: spacy.Language, phrase: str) -> List[Dict[str, Any]]:
    """Token pattern for a phrase (lower-cased): base forms by lemma, other forms exactly."""
    pattern: List[Dict[str, Any]] = []
    tokens = list(nlp(phrase.lower()))
    for index, token in enumerate(tokens):
        variants = LEMMA_VARIANTS.get(token.lemma_)
        ahead = [t.lemma_ for t in tokens[index + 1:index + 3]]
        if token.lemma_ in ("ca", "can") and ahead == ["not", "feel"]:
            # "i not feel my legs", "do not feel my bottom": the "can" may be missing
            pattern.append({"LEMMA": {"IN": [*variants, "do"]}, "OP": "?"})
        elif token.lemma_ == "feel":  # "cant fell my legs": "fell" typed for "feel"
            pattern.append({"LEMMA": {"IN": ["feel", "fall"]}, "LOWER": {"NOT_IN": FALL}})
        elif variants and token.lemma_ in OPTIONAL:
            pattern.append({"LEMMA": {"IN": variants}, "OP": "?"})
        elif variants:
            pattern.append({"LEMMA": {"IN": variants}})
        elif token.lemma_ == token.lower_:  # a base form matches every inflection
            pattern.append({"LEMMA": token.lemma_, "LOWER": {"NOT_IN": MISLEADING}})
        else:  # an inflected form matches itself: "worse" is not "bad", "fell" not "fall"
            pattern.append({"NORM": token.norm_})  # (or its misspelling, backcare_nlu.spelling)
        if token.lemma_ in ADVERB_AFTER and index < len(tokens) - 1:
            pattern.append({"LOWER": {"IN": ADVERBS}, "OP": "?"})
    return pattern


# A word one edit from a red-flag word is common, and never corrected, unless it
# is more than this many log-units (e^4, about 55 times) rarer than that word.
# After a number: it is not a body temperature.
NOT_TEMPERATURE = ["hours", "hrs", "hour", "minutes", "mins", "pounds", "lbs", "lb", "kg",
                   "kilos", "kilograms", "miles", "km", "kilometers", "kilometres", "years",
                   "yrs", "yo", "weeks", "days", "months", "dollars", "bucks", "euros", "%",
                   "percent", "cm", "inches", "mg", "ml", "steps", "reps", "bpm", "stone"]
NOT_BODY = ["tub", "bath", "pool", "water", "sauna", "jacuzzi", "shower", "oven", "room",
            "weather", "outside", "forecast", "car", "house", "office", "heat", "sun"]
WEATHER = ["outside", "outdoors", "out", "today", "in", "at", "here", "there", "this"]
TYPO_RARER_BY = 4.0


def sign_words(patterns: Iterable[Dict], lemmas: Any) -> Dict[str, str]:
    """The words red-flag patterns match on, other than everyday little words.

    Lemmas and inflected forms, each with its lemma.
    """
    words: Dict[str, str] = {}
    for rule in patterns:
        if rule["label"] in (LABEL_BENIGN, LABEL_RESOLVED, LABEL_NOT_WRITER):
            continue
        for token in rule["pattern"]:
            lemma, norm = token.get("LEMMA"), token.get("NORM")
            found = lemma.get("IN", []) if isinstance(lemma, dict) else [lemma]
            for word in found + ([norm] if isinstance(norm, str) else []):
                if isinstance(word, str) and word.isalpha() and word not in STOP_WORDS:
                    words[word] = lemmas.get(word, word)
    return words


def spelling(words: Dict[str, str], lemmas: Any,
             sound_alikes: Dict[str, List[str]]) -> Dict[str, Any]:
    """What backcare_nlu.spelling needs to read misspelt red-flag words.

    Each red-flag word and inflected form of five letters or more with its
    lemma ("weaker" -> "weak"), and the common words one edit from them, which
    are never corrected ("fewer" is not "fever": a word at most TYPO_RARER_BY
    log-units rarer than the form counts as common).
    """
    probability = load_lookups("en", ["lexeme_prob"]).get_table("lexeme_prob")
    # spaCy's table keeps only hashes of its keys: read the words from the package.
    table = srsly.read_gzip_json(Path(spacy_lookups_data.__file__).parent / "data"
                                 / "en_lemma_lookup.json.gz")
    forms = dict(words)
    for form, lemma in table.items():
        if lemma in words.values():
            forms.setdefault(form, lemma)
    forms = {form: lemma for form, lemma in forms.items() if len(form) >= MIN_LETTERS - 1}
    common = set()
    for form in forms:
        usual = probability.get(form, -20.0)
        for near in one_edit(form):
            if near in lemmas or probability.get(near, -math.inf) >= usual - TYPO_RARER_BY:
                common.add(near)
    return {"forms": dict(sorted(forms.items())), "common": sorted(common - set(forms)),
            "alikes": {alike: word for word, alikes in sorted(sound_alikes.items())
                       for alike in alikes}}


def temperature_patterns(group: Dict) -> Iterable[Dict]:
    """A fever written as a number next to a temperature word ("temp of 39", "102 fever")."""
    temperature = group.get("temperature")
    if not temperature:
        return
    words = {"LEMMA": {"IN": temperature["words"]}}
    # "temp was up to 39": up to three words between, none a number or a mark.
    gap = [{"LIKE_NUM": False, "IS_PUNCT": False, "OP": "?"}] * 3
    units = {"LOWER": {"IN": ["°", "c", "f", "°c", "°f", "degrees", "degree"]}, "OP": "?"}
    degrees = {"LOWER": {"IN": ["°", "°c", "°f", "degrees", "degree"]}}
    for scale, high in (("celsius", 45), ("fahrenheit", 113)):
        regex = number_regex(temperature[scale], high, scale[0])
        number = {"LOWER": {"REGEX": regex}}
        # A decimal or a unit says temperature on its own ("im 38.9", "101f",
        # "39 degrees"); a whole number needs a temperature word ("temp 39").
        alone = {"LOWER": {"REGEX": number_regex(temperature[scale], high, scale[0], True)}}
        for pattern in ([words, *gap, number], [number, units, words], [alone],
                        [number, degrees]):
            yield {"label": LABEL_RED_FLAG, "id": group["id"], "pattern": pattern}
        # ... but not "38.5 hours", "39 degrees outside", "the hot tub was 39c".
        things = {"LOWER": {"IN": NOT_BODY}}
        for other in ([number, {"LOWER": {"IN": NOT_TEMPERATURE}}],
                      [number, degrees, {"LOWER": {"IN": WEATHER}}],
                      [things, *gap[:2], number], [number, units, things]):
            yield {"label": LABEL_BENIGN, "id": "benign", "pattern": other}


def number_regex(low: float, high: int, unit: str, alone: bool = False) -> str:
    """A token from ``low`` up to ``high`` (one decimal place matters), unit optional.

    ``alone``: only a decimal ("38.9") or a number with its unit ("101f").
    """
    whole = int(low)
    tenth = round((low - whole) * 10)
    start = ""
    if tenth:
        start = f"{whole}[.,][{tenth}-9]\\d*|"
        whole += 1
    integers = "|".join(str(n) for n in range(whole, high + 1))
    only = f"(?=.*[.,]\\d|.*{unit}$)" if alone else ""
    return f"^{only}(?:{start}(?:{integers})(?:[.,]\\d+)?)(?:°?{unit})?$"


def massage_patterns(nlp: spacy.Language, content: Dict) -> Iterable[Dict]:
    """Entity-ruler patterns for every massage name and synonym."""
    for massage in content["massage_types"]:
        names = {massage["id"].replace("_", " "), massage["name"], *massage["synonyms"]}
        for name in sorted(names):
            yield {"label": LABEL_MASSAGE, "id": massage["id"],
                   "pattern": lemma_pattern(nlp, name)}


def with_cant_typos(pattern: List[Dict[str, Any]]) -> List[List[Dict[str, Any]]]:
    """The pattern, and a copy with a one-word typo of "can't" ("cnat") for its two tokens."""
    can = LEMMA_VARIANTS["ca"]
    for index in range(len(pattern) - 1):
        lemma = pattern[index].get("LEMMA")
        if (isinstance(lemma, dict) and set(can) <= set(lemma.get("IN", []))
                and pattern[index + 1].get("LEMMA") == {"IN": LEMMA_VARIANTS["not"]}):
            typo = {"LOWER": {"IN": CANT_TYPOS}}
            return [pattern, pattern[:index] + [typo] + pattern[index + 2:]]
    return [pattern]


def read_pair(pair: Any) -> Tuple[List[str], List[str], bool]:
    """A word pair's two lists and whether it is strong.

    A pair is ``[firsts, seconds]`` or ``{first, second, benign_cancels: false}``:
    a benign phrase in the sentence does not cancel a strong pair (STRONG_PAIR in
    backcare_nlu/triage.py).
    """
    if isinstance(pair, dict):
        return pair["first"], pair["second"], pair.get("benign_cancels") is False
    first, second = pair
    return first, second, False


def red_flag_patterns(nlp: spacy.Language, content: Dict) -> Iterable[Dict]:
    """Span-ruler patterns: red-flag phrases, ambiguous words, benign phrases."""
    flags = content["red_flags"]
    for group in flags["groups"]:
        for label, key in ((LABEL_RED_FLAG, "phrases"), (LABEL_POSSIBLE, "possible_phrases")):
            for phrase in group[key]:
                for pattern in with_cant_typos(lemma_pattern(nlp, phrase)):
                    yield {"label": label, "id": group["id"], "pattern": pattern}
        for number, pair in enumerate(group.get("paired_phrases") or []):
            first, second, strong = read_pair(pair)
            for label, phrases in zip(LABELS_PAIRED, (first, second), strict=True):
                for phrase in phrases:
                    for pattern in with_cant_typos(lemma_pattern(nlp, phrase)):
                        yield {"label": label, "id": pair_id(group["id"], number, strong),
                               "pattern": pattern}
        yield from temperature_patterns(group)
    for phrase in flags["benign_phrases"]:
        yield {"label": LABEL_BENIGN, "id": "benign", "pattern": lemma_pattern(nlp, phrase)}
    for phrase in flags.get("resolved_phrases") or []:
        yield {"label": LABEL_RESOLVED, "id": "resolved", "pattern": lemma_pattern(nlp, phrase)}
    for phrase in flags.get("not_the_writer_phrases") or []:
        yield {"label": LABEL_NOT_WRITER, "id": "not_the_writer",
               "pattern": lemma_pattern(nlp, phrase)}


def build(content_path: Path) -> spacy.Language:
    """Assemble the pipeline; nothing is downloaded."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma tables from spacy-lookups-data
    content = yaml.safe_load(content_path.read_text(encoding="utf-8"))
    # lemmatise the phrases before the rulers join the pipeline
    massage_rules = list(massage_patterns(nlp, content))
    red_flag_rules = list(red_flag_patterns(nlp, content))
    lemmas = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    speller = spelling(sign_words(red_flag_rules, lemmas), lemmas,
                       content["red_flags"].get("sound_alikes") or {})
    speller["emoji"] = content["red_flags"].get("emoji_words") or {}
    nlp.add_pipe("entity_ruler", config={"overwrite_ents": True}).add_patterns(massage_rules)
    nlp.add_pipe("span_ruler", config={"spans_key": RED_FLAG_SPANS}).add_patterns(red_flag_rules)
    emergency = [g["id"] for g in content["red_flags"]["groups"] if g["urgency"] == "emergency"]
    nlp.meta.update({
        "backcare": {"emergency_groups": emergency, "spelling": speller},
        "name": "backcare", "version": "1.0.0",
        "description": "BackCare: blank English + lookup lemmatizer + domain entity ruler",
        "spacy_version": f">={spacy.__version__},<3.5.0",
    })
    return nlp


def build_and_save(argv: List[str], build_pipeline: Callable[[Path], spacy.Language],
                   usage: str) -> spacy.Language:
    """``OUTPUT_DIR [CONTENT_FILE]``: build the pipeline from the content file and save it."""
    if len(argv) < 2:
        print(usage)
        raise SystemExit(2)
    output = Path(argv[1])
    nlp = build_pipeline(Path(argv[2]) if len(argv) > 2 else Path("content/medical.yml"))
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return nlp


def main(argv: List[str]) -> int:
    """Build and save the pipeline."""
    nlp = build_and_save(argv, build, __doc__ or "")
    count = len(nlp.get_pipe("entity_ruler")) + len(nlp.get_pipe("span_ruler"))
    print(f"spaCy pipeline {nlp.pipe_names} with {count} patterns saved to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
