"""No training example is a copy, or a near copy, of a message in the evaluation sets."""

import re
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parent.parent
TRAIN = [m.get("text") for m in load_data(str(ROOT / "data" / "nlu")).intent_examples]
STOP = set("i a the my to and it of is in for or be that this on so but with do have at me just "
           "you if its it's was an are as not what can would does any about like get how".split()
           # the same little words in Spanish
           + "el la los las de del que y en me mi mis se un una por para con es lo le no si "
             "al o su sus ya muy mas más pero como cómo qué que tengo hay".split())
# Word overlap (Jaccard, content words) above which two messages are the same message reworded.
NEAR_COPY = 0.6
# Short questions are alike by nature ("does massage help back pain?"): only longer
# messages, with this many content words or more, are compared.
MIN_WORDS = 8


def words(text: str) -> set:
    return {w for w in re.findall(r"[a-zñáéíóúü']+", text.lower()) if w not in STOP}


def eval_messages():
    for name in ("realstyle.yml", "realstyle_holdout.yml", "realstyle_blind2.yml",
                 "realstyle_blind2_red_flags.yml", "realstyle_blind3_red_flags.yml",
                 "realstyle_es.yml"):
        for message in yaml.safe_load((ROOT / "tests" / "nlu" / name).read_text())["messages"]:
            yield name, message["text"]
    for path in sorted((ROOT / "tests" / "safety").glob("**/*.yml")):
        data = yaml.safe_load(path.read_text())
        for kind in ("red_flags", "ordinary"):
            for texts in (data.get(kind) or {}).values():
                for text in texts:
                    yield f"safety/{path.name}", text


@pytest.mark.parametrize("source", ["realstyle.yml", "realstyle_holdout.yml",
                                    "realstyle_blind2.yml", "realstyle_blind2_red_flags.yml",
                                    "realstyle_blind3_red_flags.yml", "realstyle_es.yml",
                                    "safety"])
def test_no_training_example_copies_an_evaluation_message(source):
    train = [(text, words(text)) for text in TRAIN]
    copies = []
    for name, text in eval_messages():
        if source not in name and not (source == "safety" and "realstyle" not in name):
            continue
        mine = words(text)
        for example, theirs in train:
            overlap = len(mine & theirs) / max(1, len(mine | theirs))
            if len(mine) >= MIN_WORDS and overlap >= NEAR_COPY:
                copies.append((text, example, round(overlap, 2)))
    assert not copies, copies[:5]
