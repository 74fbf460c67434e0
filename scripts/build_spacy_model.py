"""Build BackCare's English spaCy pipeline offline, from PyPI parts only.

blank English tokenizer + lookup lemmatizer (tables from spacy-lookups-data)
+ an entity ruler whose patterns, matched on lemmas, come from the content
file: massage types (label MASSAGE_TYPE) and red-flag phrases (RED_FLAG).
Each pattern's id is the canonical value (massage type id or red-flag group).

Usage: python scripts/build_spacy_model.py OUTPUT_DIR [CONTENT_FILE]
"""

import sys
from pathlib import Path
from typing import Dict, Iterable, List

import spacy
import yaml

LABEL_MASSAGE = "MASSAGE_TYPE"
LABEL_RED_FLAG = "RED_FLAG"


def lemma_pattern(nlp: spacy.Language, phrase: str) -> List[Dict[str, str]]:
    """Token pattern matching the phrase's lemmas (text is lower-cased first)."""
    return [{"LEMMA": token.lemma_} for token in nlp(phrase.lower())]


def patterns(nlp: spacy.Language, content: Dict) -> Iterable[Dict]:
    """Entity-ruler patterns for every massage synonym and red-flag phrase."""
    for massage in content["massage_types"]:
        names = {massage["id"].replace("_", " "), massage["name"], *massage["synonyms"]}
        for name in sorted(names):
            yield {"label": LABEL_MASSAGE, "id": massage["id"],
                   "pattern": lemma_pattern(nlp, name)}
    for group in content["red_flags"]["groups"]:
        for phrase in group["phrases"]:
            yield {"label": LABEL_RED_FLAG, "id": group["id"],
                   "pattern": lemma_pattern(nlp, phrase)}


def build(content_path: Path) -> spacy.Language:
    """Assemble the pipeline; nothing is downloaded."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma tables from spacy-lookups-data
    content = yaml.safe_load(content_path.read_text(encoding="utf-8"))
    rules = list(patterns(nlp, content))  # lemmatise before the ruler joins the pipeline
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(rules)
    nlp.meta.update({
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
    count = len(nlp.get_pipe("entity_ruler"))
    print(f"spaCy pipeline {nlp.pipe_names} with {count} patterns saved to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
