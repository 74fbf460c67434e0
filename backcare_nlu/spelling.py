"""Red-flag words in everyday spelling: "controll", "bladdr", "grion", "weeker".

A word that is one edit (a letter missing, added, changed, or two letters
swapped) from a word of five letters or more that the red-flag patterns match
on, or from one of its inflected forms, is read as that word ("fevr"), unless it is itself
a common word: "fewer" stays "fewer", not "fever". Sound-alikes that the
content file lists ("groan" for "groin") are read as that word too. The build
(scripts/setup/build_spacy_model.py) lists the forms and those common words in the
spaCy pipeline's meta; here a misspelt token gets the lemma of the word it
stands for, and the red-flag rulers match again.
"""

import functools
import string
from typing import Any, Dict, Iterable, List, Optional, Set

from spacy.tokens import Doc

MIN_LETTERS = 5  # the typed word or the word it stands for is at least this long
SPAN_RULER = "span_ruler"


def one_edit(word: str) -> Set[str]:
    """Every string one deletion, transposition, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    letters = string.ascii_lowercase
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}) - {word}


def _deletions(word: str) -> Set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def one_edit_apart(a: str, b: str) -> bool:
    """True when ``b`` is exactly one edit (as in ``one_edit``) from ``a``."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


class SignSpelling:
    """Finds the red-flag word a misspelt token stands for."""

    def __init__(self, forms: Dict[str, str], common: Iterable[str],
                 alikes: Optional[Dict[str, str]] = None,
                 emoji: Optional[Dict[str, str]] = None) -> None:
        """Index the red-flag words.

        ``forms``: word -> its lemma; ``common``: real words one edit from a form;
        ``alikes``: a sound-alike ("groan") -> the red-flag word it stands for;
        ``emoji``: an emoji -> the word it stands for.
        """
        self.forms = forms
        self.common = set(common)
        self.alikes = alikes or {}
        self.emoji = emoji or {}
        self._by_deletion: Dict[str, List[str]] = {}
        for form in sorted(forms):
            for key in _deletions(form):
                self._by_deletion.setdefault(key, []).append(form)

    def form_for(self, word: str) -> Optional[str]:
        """The red-flag word (or inflected form) ``word`` misspells, if any.

        One of the two has five letters or more: "numbe" is "numb", "fevr" "fever".
        """
        if word in self.alikes:
            return self.alikes[word]
        if word.endswith("in") and word + "g" in self.forms:  # "slappin", "trippin"
            return word + "g"
        if len(word) < MIN_LETTERS - 1 or not word.isalpha() or word in self.forms \
                or word in self.common:
            return None
        near = [form for key in _deletions(word) for form in self._by_deletion.get(key, ())
                if max(len(form), len(word)) >= MIN_LETTERS and one_edit_apart(word, form)]
        # "urinte" is one edit from "urine" and from "urinate": the longer word wins.
        return max(near, key=lambda f: (len(f), f)) if near else None

    def lemma_for(self, word: str) -> Optional[str]:
        """The lemma of the red-flag word ``word`` misspells, if any."""
        form = self.form_for(word)
        return self.forms.get(form, form) if form else None

    def read(self, doc: Doc, nlp: Any) -> Doc:
        """The doc the red-flag rulers read: emoji in words, misspellings respelt."""
        if any(symbol in doc.text for symbol in self.emoji):
            text = doc.text
            for symbol, word in self.emoji.items():
                text = text.replace(symbol, f" {word} ")
            doc = nlp(text.lower())
        return self.respell(doc, nlp)

    def respell(self, doc: Doc, nlp: Any) -> Doc:
        """Read misspelt red-flag words as the word they stand for; match again.

        The token's norm becomes that word and its lemma that word's lemma.
        """
        changed = False
        for token in doc:
            if token.lemma_ == token.lower_:  # a word the lemmatizer did not know
                form = self.form_for(token.lower_)
                if form:
                    token.norm_ = form
                    token.lemma_ = self.forms.get(form, form)
                    changed = True
        return nlp.get_pipe(SPAN_RULER)(doc) if changed else doc


@functools.lru_cache(maxsize=4)
def spelling_for(nlp: Any) -> SignSpelling:
    """The speller the pipeline's build wrote into its meta (read once: see safety_net)."""
    data = nlp.meta.get("backcare", {}).get("spelling", {})
    return SignSpelling(data.get("forms", {}), data.get("common", []), data.get("alikes", {}),
                        data.get("emoji", {}))
