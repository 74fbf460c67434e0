"""Red-flag words in everyday spelling (backcare_nlu/spelling.py)."""

import pytest

from backcare_nlu.spelling import SignSpelling, one_edit, one_edit_apart


@pytest.mark.parametrize("a, b, apart", [
    ("bladdr", "bladder", True),      # a letter missing
    ("controll", "control", True),    # a letter added
    ("fevar", "fever", True),         # a letter changed
    ("grion", "groin", True),         # two letters swapped
    ("bladder", "bladder", False),
    ("bldr", "bladder", False),
    ("groinnn", "groin", False),      # two edits
])
def test_one_edit_apart(a, b, apart):
    assert one_edit_apart(a, b) is apart
    assert (b in one_edit(a)) is apart


@pytest.fixture
def speller():
    return SignSpelling({"bladder": "bladder", "weaker": "weak", "fever": "fever",
                         "groin": "groin"}, common=["fewer", "never"])


@pytest.mark.parametrize("typed, lemma", [
    ("bladdr", "bladder"), ("blader", "bladder"), ("bladdder", "bladder"),
    ("weeker", "weak"), ("grion", "groin"), ("feverr", "fever"), ("fevr", "fever"),
])
def test_misspelt_sign_words_are_read_as_the_sign(speller, typed, lemma):
    assert speller.lemma_for(typed) == lemma


@pytest.mark.parametrize("typed", ["fewer", "never", "bladder", "fevr2", "gro", "groinnn"])
def test_common_words_exact_words_and_far_typos_are_left_alone(speller, typed):
    assert speller.lemma_for(typed) is None
