"""Which red-flag signs a message names, and how sure we are that it reports them.

Works on the spans that BackCare's spaCy pipeline puts in
``doc.spans["red_flags"]`` (see scripts/build_spacy_model.py). The decision
rule, documented in docs/clinical-safety/README.md:

1. A BENIGN phrase ("fell asleep", "room temperature") cancels any red-flag
   match it covers at least as long as itself.
2. Overlapping matches: the longest wins, a named sign before an ambiguous word.
3. Negated matches are dropped (backcare_nlu.negation).
4. A RED_FLAG phrase is *definite*, except when its clause is a question
   (starts "can", "does", "is"...) with no "I"/"my" in the sentence, or the
   sentence is hypothetical, or the clause is about someone else ("can massage spread cancer?",
   "what if you have a fever?", "my mum had cancer"): then it is *possible*.
   Emergency groups (cauda equina) are always definite: a question about them
   gets the emergency advice.
5. A RED_FLAG_POSSIBLE word ("fell", "weak", "numb") is *possible*.
6. Two words of a group's pair in one sentence ("numb" ... "inner thighs",
   "weak" ... "every day") name its sign: as a RED_FLAG phrase in rule 4,
   unless a benign phrase stands in that sentence ("leg day", "on purpose").

Definite signs escalate at once; possible ones get one yes/no question first.
"""

from dataclasses import dataclass
from typing import Collection, List, Set, Tuple

from spacy.tokens import Doc, Span

from backcare_nlu.negation import affirmed

SPANS_KEY = "red_flags"
DEFINITE = "RED_FLAG"
POSSIBLE = "RED_FLAG_POSSIBLE"
BENIGN = "BENIGN"
PAIR_A, PAIR_B = "RED_FLAG_PAIR_A", "RED_FLAG_PAIR_B"
CLAUSE_ENDS = {",", ".", "?", "!", ";", ":", "but", "\n"}
# "is it normal that ..." asks about the writer's own symptom.

QUESTION_STARTERS = {"can", "could", "does", "do", "is", "are", "will", "would", "should",
                     "how", "what", "where", "when", "why", "which", "who", "am", "was",
                     "did", "may", "might", "shall", "any", "anyone", "anybody"}
FIRST_PERSON = {"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "my", "mine", "myself",
                "normal", "still"}
OTHER_PEOPLE = {"mum", "mom", "mother", "dad", "father", "wife", "husband", "partner", "son",
                "daughter", "friend", "brother", "sister", "grandma", "grandmother", "grandpa",
                "grandfather", "granny", "nan", "aunt", "uncle", "cousin", "colleague",
                "coworker", "boss", "neighbor", "neighbour", "someone", "somebody", "he", "she",
                "his", "her", "client", "clients", "kid", "child", "baby", "dog", "cat",
                "family", "relative", "people", "patients"}
HYPOTHETICAL = [("what", "if"), ("in", "case"), ("if", "you"), ("if", "someone"),
                ("if", "somebody"), ("if", "a"), ("if", "one"), ("if", "i", "get"),
                ("if", "i", "ever"), ("if", "i", "start"), ("if", "i", "develop"),
                ("someone", "with"), ("people", "with"), ("anyone", "with")]


@dataclass(frozen=True)
class Sign:
    """One red-flag match: its group, its span and whether it is definite."""

    group: str
    span: Span
    definite: bool


def _covered_by_benign(span: Span, benign: List[Span]) -> bool:
    return any(b.start <= span.end - 1 and span.start <= b.end - 1 and len(b) >= len(span)
               for b in benign)


def _non_overlapping(spans: List[Span]) -> List[Span]:
    """Longest first, a named sign before an ambiguous word, then by position."""
    ordered = sorted(spans, key=lambda s: (-len(s), s.label_ != DEFINITE, s.start))
    chosen: List[Span] = []
    taken: Set[int] = set()
    for span in ordered:
        tokens = set(range(span.start, span.end))
        if not tokens & taken:
            chosen.append(span)
            taken |= tokens
    return sorted(chosen, key=lambda s: s.start)


def has_sequence(words: List[str], sequence: Tuple[str, ...]) -> bool:
    """True when the words contain the sequence, in order and adjacent."""
    size = len(sequence)
    return any(tuple(words[i:i + size]) == sequence for i in range(len(words) - size + 1))


def _sentence(span: Span) -> Span:
    """The span's sentence, or the whole text where sentences were not split."""
    return span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]


def _clause(sentence: Span, span: Span) -> List[str]:
    """The words of the clause holding the span, with the mark that ends it."""
    doc = span.doc
    start = span.start
    while start > sentence.start and doc[start - 1].lower_ not in CLAUSE_ENDS:
        start -= 1
    end = span.end
    while end < sentence.end and doc[end].lower_ not in CLAUSE_ENDS:
        end += 1
    return [t.lower_ for t in doc[start:min(end + 1, sentence.end)] if not t.is_space]


def is_a_report(sentence: Span, span: Span) -> bool:
    """False when the sentence only asks about a sign, imagines it, or is about others.

    "is it normal to still hurt after falling off a roof?" reports; "can massage
    spread cancer?" and "my mum had cancer" do not.
    """
    words = [t.lower_ for t in sentence if not t.is_space]
    if any(has_sequence(words, seq) for seq in HYPOTHETICAL):
        return False
    clause = _clause(sentence, span)
    if set(clause) & OTHER_PEOPLE:
        return False
    question = bool(clause) and clause[0] in QUESTION_STARTERS
    return not (question and not set(words) & FIRST_PERSON)


def _paired_signs(spans: List[Span], benign: List[Span]) -> List[Span]:
    """The first word of each pair whose second word is in the same sentence.

    A benign phrase anywhere in that sentence ("leg day", "on purpose") cancels
    the pair. Pair ids are "<group>#<n>"; the span returned carries the group id.
    """
    calm = {_sentence(b).start for b in benign}
    found = []
    seconds = [s for s in spans if s.label_ == PAIR_B]
    for first in affirmed([s for s in spans
                           if s.label_ == PAIR_A and _sentence(s).start not in calm], seconds):
        if any(s.label_ == PAIR_B and s.id_ == first.id_
               and _sentence(s).start == _sentence(first).start
               and not (s.start < first.end and first.start < s.end) for s in spans):
            found.append(Span(first.doc, first.start, first.end, label=DEFINITE,
                              span_id=first.id_.split("#")[0]))
    return found


def find_signs(doc: Doc, emergency_groups: Collection[str] = ()) -> List[Sign]:
    """Every red-flag sign the text names, not negated, with its tier."""
    spans = list(doc.spans.get(SPANS_KEY, []))
    benign = [s for s in spans if s.label_ == BENIGN]
    candidates = [s for s in spans if s.label_ != BENIGN and not _covered_by_benign(s, benign)]
    signs = []
    named = [s for s in candidates if s.label_ in (DEFINITE, POSSIBLE)]
    for span in affirmed(_non_overlapping(named)) + _paired_signs(candidates, benign):
        definite = span.label_ != POSSIBLE and (
            span.id_ in emergency_groups or is_a_report(_sentence(span), span))
        signs.append(Sign(group=span.id_, span=span, definite=definite))
    return signs
