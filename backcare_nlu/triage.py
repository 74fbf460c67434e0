"""Which red-flag signs a message names, and how sure we are that it reports them.

Works on the spans that BackCare's spaCy pipeline puts in
``doc.spans["red_flags"]`` (see scripts/setup/build_spacy_model.py). The decision
rule, documented in docs/clinical-safety/README.md:

1. A BENIGN phrase ("fell asleep", "room temperature") cancels any red-flag
   match it covers at least as long as itself.
2. Overlapping matches: the longest wins, a named sign before an ambiguous word.
3. Negated matches are dropped (backcare_nlu.negation).
4. A RED_FLAG phrase is *definite*, except when its clause is a question
   (starts "can", "does", "is"...) with no "I"/"my" in the sentence, or the
   sentence is hypothetical, or the clause is about someone else ("can massage spread cancer?",
   "what if you have a fever?", "my mum had cancer"): then it is *possible*.
   Emergency groups (cauda equina) are definite even then: a question about them
   gets the emergency advice, unless the sign is only imagined or asked about in
   general (not about someone else) and the writer says they only ask or do not
   have it ("what does it mean if ...? just curious, I don't have that"): then
   it is *possible*, and the check question asks whether they have it now. A
   sentence that only passes on what the writer read or was told ("I read that
   ... is an emergency"), without "I", does not report a sign either: *possible*.
5. A RED_FLAG_POSSIBLE word ("fell", "weak", "numb") is *possible*.
6. Two words of a group's pair in one sentence ("numb" ... "inner thighs",
   "weak" ... "every day") name its sign: as a RED_FLAG phrase in rule 4,
   unless a benign phrase stands in that sentence ("leg day", "on purpose").
7. A sign followed in its sentence by a RESOLVED phrase, saying it has passed
   or had an everyday cause ("... after sitting cross-legged, gone now"), is
   *possible*, in every group: the person is asked before any advice. When the
   sign is someone else's ("my son fell off his bike, he's fine"), it is dropped,
   except in the emergency group; so is someone else's sign in a message with
   a NOT_THE_WRITER phrase ("my aunt had cancer, I haven't") or one that speaks
   of the writer's own back and nobody else's ("my dad had cancer, my back
   hurts from golf").

Definite signs escalate at once; possible ones get one yes/no question first.
"""

from dataclasses import dataclass
from typing import Collection, FrozenSet, List, Set, Tuple

from spacy.tokens import Doc, Span

from backcare_nlu.grammar import ENGLISH, Grammar
from backcare_nlu.negation import affirmed

SPANS_KEY = "red_flags"
DEFINITE = "RED_FLAG"
POSSIBLE = "RED_FLAG_POSSIBLE"
BENIGN = "BENIGN"
RESOLVED = "RESOLVED"
NOT_THE_WRITER = "NOT_THE_WRITER"
# A word pair's id is "<group>#<n>", with this mark at the end when a benign
# phrase in its sentence does not cancel it ("se me cayo una" ... "en la espalda").
STRONG_PAIR = "!"
PAIR_A, PAIR_B = "RED_FLAG_PAIR_A", "RED_FLAG_PAIR_B"

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


def pair_id(group: str, number: int, strong: bool = False) -> str:
    """The span id of a group's word pair (see STRONG_PAIR)."""
    return f"{group}#{number}{STRONG_PAIR if strong else ''}"


def benign_cancels(span: Span) -> bool:
    """False for a strong pair: a benign phrase in its sentence does not cancel it."""
    return not span.id_.endswith(STRONG_PAIR)


def end_of_sequence(words: List[str], sequence: Tuple[str, ...]) -> int:
    """Where the first occurrence of the sequence (in order, adjacent) ends, or -1."""
    size = len(sequence)
    return next((i + size for i in range(len(words) - size + 1)
                 if tuple(words[i:i + size]) == sequence), -1)


def has_sequence(words: List[str], sequence: Tuple[str, ...]) -> bool:
    """True when the words contain the sequence, in order and adjacent."""
    return end_of_sequence(words, sequence) >= 0


def _sentence(span: Span) -> Span:
    """The span's sentence, or the whole text where sentences were not split."""
    return span.sent if span.doc.has_annotation("SENT_START") else span.doc[:]


def _clause(sentence: Span, span: Span, grammar: Grammar) -> List[str]:
    """The words of the clause holding the span, with the mark that ends it."""
    doc = span.doc
    start = span.start
    while start > sentence.start and doc[start - 1].lower_ not in grammar.clause_ends:
        start -= 1
    end = span.end
    while end < sentence.end and doc[end].lower_ not in grammar.clause_ends:
        end += 1
    return [t.lower_ for t in doc[start:min(end + 1, sentence.end)] if not t.is_space]


def _others_in(words: List[str], grammar: Grammar) -> List[int]:
    """Positions of words naming another person ("mi mamá", not "cáncer de mama").

    Not "someone" in "someone rear ended me" (an agent before an "I" word), nor
    the person something is done for ("an epidural for my baby").
    """
    owners = grammar.my | grammar.owners_of_others
    return [i for i, word in enumerate(words) if (word in grammar.other_people or (
        word in grammar.people_after_owner and i > 0 and words[i - 1] in owners)) and not (
        word in grammar.agents and set(words[i + 1:]) & grammar.writer) and not (
        i > 1 and words[i - 1] in owners and words[i - 2] in grammar.on_behalf)]


def _words(sentence: Span, denied: Collection[int] = ()) -> List[str]:
    """The sentence's words, without those of a denial ("i don't have it")."""
    return [t.lower_ for t in sentence if not t.is_space and t.i not in denied]


def is_a_report(sentence: Span, span: Span, grammar: Grammar = ENGLISH,
                denied: Collection[int] = ()) -> bool:
    """False when the sentence only asks about a sign, imagines it, or is about others.

    "is it normal to still hurt after falling off a roof?" reports; "can massage
    spread cancer?" and "my mum had cancer" do not, nor does "what does saddle
    numbness mean, i don't have it" (the "I" of a denial, ``denied``, is not counted).
    """
    words = _words(sentence, denied)
    if any(has_sequence(words, seq) for seq in grammar.hypothetical):
        return False
    clause = _clause(sentence, span, grammar)
    if _others_in(clause, grammar):
        return False
    question = bool(clause) and clause[0] in grammar.question_starters
    return not (question and not set(words) & grammar.first_person)


def asked_in_general(sentence: Span, span: Span, grammar: Grammar = ENGLISH,
                     denied: Collection[int] = ()) -> bool:
    """True when the sentence imagines the sign, or asks about it without "I" or anyone else.

    "si alguien no puede orinar, es grave?" is; "can my dad get a massage if he
    can't pee?" is not (someone's sign), nor is "I can't pee, is that bad?".
    """
    words = _words(sentence, denied)
    if any(has_sequence(words, seq) for seq in grammar.hypothetical):
        return True
    clause = _clause(sentence, span, grammar)
    return (bool(clause) and clause[0] in grammar.question_starters
            and not set(words) & grammar.first_person and not _others_in(words, grammar))


def tells_what_others_say(sentence: Span, span: Span, grammar: Grammar = ENGLISH) -> bool:
    """True when the sign's clause passes on what the writer read or was told, without "I".

    "lei que el entumecimiento en la entrepierna es emergencia" and "estaba leyendo
    que la fiebre es grave" are; "lei que es grave pero yo no puedo orinar" is not.
    """
    words = _clause(sentence, span, grammar)
    ends = [end_of_sequence(words, seq) for seq in grammar.just_asking]
    # "estaba leyendo que ...": only an "I" after what was read makes it the writer's own.
    return any(end >= 0 and not set(words[end:]) & grammar.writer for end in ends)


def someone_else_did_it(sentence: Span, span: Span, grammar: Grammar = ENGLISH) -> bool:
    """True when the sign's clause is about another person who comes before any "I".

    "my son fell off his bike" is; "I picked up my grandson and felt it go" is not.
    """
    words = _clause(sentence, span, grammar)
    others = _others_in(words, grammar)
    for index, word in enumerate(words):
        if word in grammar.writer:
            return False
        if index in others:
            return True
    return False


def _paired_signs(spans: List[Span], benign: List[Span], grammar: Grammar) -> List[Span]:
    """The first word of each pair whose second word is in the same sentence.

    A benign phrase anywhere in that sentence ("leg day", "on purpose") cancels
    the pair, unless the pair is strong (STRONG_PAIR: "se me cayo una caja ... en
    la espalda"). The span returned carries the group id.
    """
    calm = {_sentence(b).start for b in benign}
    found = []
    seconds = [s for s in spans if s.label_ == PAIR_B]
    for first in affirmed([s for s in spans if s.label_ == PAIR_A and (
            not benign_cancels(s) or _sentence(s).start not in calm)], seconds, grammar):
        if any(s.label_ == PAIR_B and s.id_ == first.id_
               and _sentence(s).start == _sentence(first).start
               and not (s.start < first.end and first.start < s.end) for s in spans):
            found.append(Span(first.doc, first.start, first.end, label=DEFINITE,
                              span_id=first.id_.split("#")[0]))
    return found


def _resolved_later(span: Span, resolved: List[Span], grammar: Grammar) -> bool:
    """True when a RESOLVED phrase follows the span in its sentence (rule 7).

    Not when the sign's own clause says it is there now ("now", "still").
    """
    sentence = _sentence(span)
    later = any(r.start >= span.end and sentence.start <= r.start < sentence.end
                for r in resolved)
    return later and not set(_clause(sentence, span, grammar)) & grammar.current


def _writer_tells_of_own_back(doc: Doc, grammar: Grammar) -> bool:
    """True when the message speaks of the writer's back and of nobody else's.

    "my back", "my lower back", "me duele la espalda" (the language's ``own_back``),
    but not "my husband has back pain" or "his back".
    """
    words = [t.lower_ for t in doc]

    def owned_by(owners: FrozenSet[str]) -> bool:
        return any(w in grammar.back and i > 0 and (words[i - 1] in owners or (
            i > 1 and words[i - 2] in owners and words[i - 1] in grammar.back_words))
            for i, w in enumerate(words))
    own = owned_by(grammar.my) or any(has_sequence(words, seq) for seq in grammar.own_back)
    return own and not owned_by(grammar.owners_of_others)


def find_signs(doc: Doc, emergency_groups: Collection[str] = (),
               grammar: Grammar = ENGLISH) -> List[Sign]:
    """Every red-flag sign the text names, not negated, with its tier."""
    spans = list(doc.spans.get(SPANS_KEY, []))
    benign = [s for s in spans if s.label_ == BENIGN]
    resolved = [s for s in spans if s.label_ == RESOLVED]
    denials = [s for s in spans if s.label_ == NOT_THE_WRITER]
    not_the_writer = bool(denials) or _writer_tells_of_own_back(doc, grammar)
    candidates = [s for s in spans if s.label_ not in (BENIGN, RESOLVED, NOT_THE_WRITER)
                  and (not benign_cancels(s) or not _covered_by_benign(s, benign))]
    words = [t.lower_ for t in doc if not t.is_space]
    denied = {i for s in denials for i in range(s.start, s.end)}
    only_asking = bool(denials) or any(has_sequence(words, seq) for seq in grammar.just_asking)
    signs = []
    # An ambiguous word with a benign phrase in its sentence ("toes numb in the winter,
    # raynauds") is explained by it, as a word pair is.
    calm = {_sentence(b).start for b in benign} if grammar.quiet_possible else set()
    named = [s for s in candidates if s.label_ == DEFINITE
             or (s.label_ == POSSIBLE and _sentence(s).start not in calm)]
    for span in (affirmed(_non_overlapping(named), (), grammar)
                 + _paired_signs(candidates, benign, grammar)):
        emergency = span.id_ in emergency_groups
        report = is_a_report(_sentence(span), span, grammar, denied)
        hearsay = tells_what_others_say(_sentence(span), span, grammar)
        just_asked = emergency and only_asking and (hearsay or (
            not report and asked_in_general(_sentence(span), span, grammar, denied)))
        passed = _resolved_later(span, resolved, grammar)
        if ((passed or not_the_writer) and not (report or emergency)
                and someone_else_did_it(_sentence(span), span, grammar)):
            continue  # "my son fell off his bike, he's fine", "my aunt had cancer, not me"
        # "writing an essay on spinal infections, what are the risk factors?": only
        # asked, without "I", so the check question rather than urgent advice.
        in_general = only_asking and not set(_words(_sentence(span), denied)) & grammar.first_person
        if in_general and span.label_ == POSSIBLE and not emergency and grammar.quiet_possible:
            continue  # "is back pain with weight loss always cancer? for my health class"
        definite = span.label_ != POSSIBLE and not passed and (
            (emergency and not just_asked) or (report and not hearsay and not in_general))
        signs.append(Sign(group=span.id_, span=span, definite=definite))
    return signs
