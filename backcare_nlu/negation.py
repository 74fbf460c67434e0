"""Decide whether a matched symptom phrase is negated ("no fever").

Works on a spaCy ``Doc`` built from lower-cased text. A cue such as "no",
"not", "never" or "without" negates the phrases that follow it in the same
clause; "but", "however", a new "I ..." or sentence punctuation end the clause. Hedges such
as "not sure" or "don't know" are uncertainty, not negation, and an answer
"no" that starts a new clause ("no I have a fever") does not negate it.
"""

from typing import Iterable, List

from spacy.tokens import Doc, Span

NEGATION_CUES = {"no", "not", "never", "without", "nor", "neither", "none", "nothing", "deny",
                 "free"}
HEDGES = {"sure", "certain", "know", "remember", "if", "whether"}
# A new subject ("... and I wet myself") also ends the clause of an earlier cue.
CLAUSE_BREAKS = {".", "!", "?", ";", "but", "however", "although", "though", "yet",
                 "except", "apart", "also", "plus", "i", "i'm", "i've", "im"}
CLAUSE_STARTERS = {"i", "i'm", "im", "my", "we", "it", "there", "yes", "yeah", "actually"}
WINDOW = 7


def _is_cue(doc: Doc, index: int, end: int) -> bool:
    """A real negation cue at ``index``, for a phrase that starts at ``end``."""
    token = doc[index]
    if token.lemma_ not in NEGATION_CUES and token.lower_ not in NEGATION_CUES:
        return False
    following = [t.lower_ for t in doc[index + 1:min(index + 3, end)]]
    if any(word in HEDGES for word in following):
        return False
    if token.lower_ == "no" and following and following[0] in CLAUSE_STARTERS | {","}:
        return False
    return True


def is_negated(span: Span) -> bool:
    """True when a negation cue governs the span within its clause."""
    doc = span.doc
    start = span.start
    for index in range(start - 1, max(start - WINDOW, 0) - 1, -1):
        if doc[index].lower_ in CLAUSE_BREAKS:
            break
        if _is_cue(doc, index, start):
            return True
    after = [t.lower_ for t in doc[span.end:span.end + 3] if not t.is_punct]
    return after[:1] in (["no"], ["none"]) and len(after) == 1


def affirmed(spans: Iterable[Span]) -> List[Span]:
    """The spans that are not negated."""
    return [span for span in spans if not is_negated(span)]
