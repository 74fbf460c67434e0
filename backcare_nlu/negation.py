"""Decide whether a matched symptom phrase is negated ("no fever").

Works on a spaCy ``Doc`` built from lower-cased text. A cue such as "no",
"not", "never" or "without" negates the phrases that follow it in the same
clause, up to ``WINDOW`` tokens back. The clause ends at sentence punctuation,
a comma, "and", "but", a new "I ...": "painkillers don't work and both legs
feel weak" and "the pain won't stop, numb groin too" report a sign. A list
joined by "or"/"nor" stays in one clause ("no fever, chills or numbness").
Hedges such as "not sure" or "don't know" are uncertainty, not negation, and
an answer "no" that starts a new clause ("no I have a fever") does not negate
it. A phrase that itself starts with "no" ("no bladder control") is the sign,
unless "problems"/"issues" follow ("no bladder control problems").
"""

from typing import Collection, Iterable, List

from spacy.tokens import Doc, Span

from backcare_nlu.grammar import ENGLISH, Grammar


def _is_cue(doc: Doc, index: int, end: int, grammar: Grammar) -> bool:
    """A real negation cue at ``index``, for a phrase that starts at ``end``."""
    token = doc[index]
    if token.lemma_ not in grammar.cues and token.lower_ not in grammar.cues:
        return False
    following = [t.lower_ for t in doc[index + 1:min(index + 3, end)]]
    if any(word in grammar.hedges for word in following):
        return False
    if token.lower_ == "no" and following and following[0] in grammar.clause_starters | {","}:
        return False
    return True


def _comma_continues_list(doc: Doc, comma: int, span: Span, grammar: Grammar) -> bool:
    """True when a comma only separates items of one list ("no fever, chills or ...")."""
    between = {t.lower_ for t in doc[comma + 1:span.start]}
    after = []
    for token in doc[span.end:span.end + 4]:
        if token.lower_ in grammar.clause_breaks or token.lower_ == ",":
            break
        after.append(token.lower_)
    return bool((between | set(after)) & grammar.list_joiners)


def _starts_with_no_but_is_the_sign(span: Span, grammar: Grammar) -> bool:
    """'no bladder control' reports the sign; 'no bladder control problems' does not."""
    if span[0].lower_ not in grammar.sign_starts:
        return False
    after = [t.lemma_ for t in span.doc[span.end:span.end + 2]]
    return not any(word in grammar.not_a_sign_after for word in after)


def is_negated(span: Span, not_cues: Collection[int] = (), grammar: Grammar = ENGLISH) -> bool:
    """True when a negation cue governs the span within its clause.

    ``not_cues``: token indices whose negation belongs to another sign phrase
    ("didn't make it to the loo": the "n't" is part of the sign, not a denial).
    """
    doc = span.doc
    if span[0].lower_ in grammar.sign_starts:
        return not _starts_with_no_but_is_the_sign(span, grammar)
    start = span.start
    for index in range(start - 1, max(start - grammar.window, 0) - 1, -1):
        word = doc[index].lower_
        if word in grammar.clause_breaks:
            break
        if word == "," and not _comma_continues_list(doc, index, span, grammar):
            break
        if index not in not_cues and _is_cue(doc, index, start, grammar):
            return True
    after = [t.lower_ for t in doc[span.end:span.end + 3] if not t.is_punct]
    return after[:1] in (["no"], ["none"]) and len(after) == 1


def affirmed(spans: Iterable[Span], partners: Iterable[Span] = (),
             grammar: Grammar = ENGLISH) -> List[Span]:
    """The spans that are not negated (a negation inside a partner phrase does not count)."""
    not_cues = {index for partner in partners for index in range(partner.start, partner.end)}
    return [span for span in spans if not is_negated(span, not_cues, grammar)]
