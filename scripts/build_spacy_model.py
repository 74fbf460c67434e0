"""Build BackCare's English spaCy pipeline offline, from PyPI parts only.

blank English tokenizer + rule-based sentencizer + lookup lemmatizer (tables
from spacy-lookups-data) + two rulers whose patterns, matched on lemmas, come
from the content file:
- an entity ruler for massage types (label MASSAGE_TYPE, in ``doc.ents``);
- a span ruler for red-flag phrases, in ``doc.spans["red_flags"]`` so that
  overlapping matches survive: RED_FLAG (names a sign), RED_FLAG_POSSIBLE (an
  ambiguous word), RED_FLAG_PAIR_A/B (a sign named by two words in one
  sentence, such as "numb" and "groin") and BENIGN (an everyday phrase that
  cancels a match it covers, such as "fell asleep").
Each pattern's id is the canonical value (massage type id or red-flag group).

Usage: python scripts/build_spacy_model.py OUTPUT_DIR [CONTENT_FILE]
"""

import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List

import spacy
import yaml

LABEL_MASSAGE = "MASSAGE_TYPE"
LABEL_RED_FLAG = "RED_FLAG"
LABEL_POSSIBLE = "RED_FLAG_POSSIBLE"
LABEL_BENIGN = "BENIGN"
LABELS_PAIRED = ("RED_FLAG_PAIR_A", "RED_FLAG_PAIR_B")
RED_FLAG_SPANS = "red_flags"


# "can't" is lemmatised "ca" + "not", "cannot" "can" + "not", "can’t" (curly
# apostrophe) "ca" + "n’t": every spelling matches. "my bowels" also matches
# "your bowels" ("is it normal to lose control of your bowels?").
LEMMA_VARIANTS = {"ca": ["ca", "can"], "can": ["ca", "can"], "wo": ["wo", "will"],
                  "not": ["not", "n’t", "n't", "nt"], "my": ["my", "your", "the"]}
# Words the lookup lemmatiser maps to a red-flag lemma ("number" -> "numb").
MISLEADING = ["number", "numbers", "numbered"]
# "can't really feel", "feel really unwell": one adverb may stand after these.
ADVERB_AFTER = {"not", "feel"}
ADVERBS = ["really", "properly", "even", "quite", "fully", "actually", "totally", "so",
           "very", "just", "generally", "all", "at", "much"]


def lemma_pattern(nlp: spacy.Language, phrase: str) -> List[Dict[str, Any]]:
    """Token pattern for a phrase (lower-cased): base forms by lemma, other forms exactly."""
    pattern: List[Dict[str, Any]] = []
    tokens = list(nlp(phrase.lower()))
    for index, token in enumerate(tokens):
        variants = LEMMA_VARIANTS.get(token.lemma_)
        if variants:
            pattern.append({"LEMMA": {"IN": variants}})
        elif token.lemma_ == token.lower_:  # a base form matches every inflection
            pattern.append({"LEMMA": token.lemma_, "LOWER": {"NOT_IN": MISLEADING}})
        else:  # an inflected form matches itself: "worse" is not "bad", "fell" not "fall"
            pattern.append({"LOWER": token.lower_})
        if token.lemma_ in ADVERB_AFTER and index < len(tokens) - 1:
            pattern.append({"LOWER": {"IN": ADVERBS}, "OP": "?"})
    return pattern


def massage_patterns(nlp: spacy.Language, content: Dict) -> Iterable[Dict]:
    """Entity-ruler patterns for every massage name and synonym."""
    for massage in content["massage_types"]:
        names = {massage["id"].replace("_", " "), massage["name"], *massage["synonyms"]}
        for name in sorted(names):
            yield {"label": LABEL_MASSAGE, "id": massage["id"],
                   "pattern": lemma_pattern(nlp, name)}


def red_flag_patterns(nlp: spacy.Language, content: Dict) -> Iterable[Dict]:
    """Span-ruler patterns: red-flag phrases, ambiguous words, benign phrases."""
    flags = content["red_flags"]
    for group in flags["groups"]:
        for label, key in ((LABEL_RED_FLAG, "phrases"), (LABEL_POSSIBLE, "possible_phrases")):
            for phrase in group[key]:
                yield {"label": label, "id": group["id"], "pattern": lemma_pattern(nlp, phrase)}
        for number, pair in enumerate(group.get("paired_phrases") or []):
            for label, phrases in zip(LABELS_PAIRED, pair, strict=True):
                for phrase in phrases:
                    yield {"label": label, "id": f"{group['id']}#{number}",
                           "pattern": lemma_pattern(nlp, phrase)}
    for phrase in flags["benign_phrases"]:
        yield {"label": LABEL_BENIGN, "id": "benign", "pattern": lemma_pattern(nlp, phrase)}


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
    nlp.add_pipe("entity_ruler", config={"overwrite_ents": True}).add_patterns(massage_rules)
    nlp.add_pipe("span_ruler", config={"spans_key": RED_FLAG_SPANS}).add_patterns(red_flag_rules)
    emergency = [g["id"] for g in content["red_flags"]["groups"] if g["urgency"] == "emergency"]
    nlp.meta.update({
        "backcare": {"emergency_groups": emergency},
        "name": "backcare", "version": "1.0.0",
        "description": "BackCare: blank English + lookup lemmatizer + domain entity ruler",
        "spacy_version": f">={spacy.__version__},<3.5.0",
    })
    return nlp


def main(argv: List[str]) -> int:
    """Build and save the pipeline."""
    if len(argv) < 2:
        print(__doc__)
        return 2
    output = Path(argv[1])
    content_path = Path(argv[2]) if len(argv) > 2 else Path("content/medical.yml")
    nlp = build(content_path)
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    count = len(nlp.get_pipe("entity_ruler")) + len(nlp.get_pipe("span_ruler"))
    print(f"spaCy pipeline {nlp.pipe_names} with {count} patterns saved to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
