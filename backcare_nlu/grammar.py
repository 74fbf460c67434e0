"""The few grammar words the triage rule reads, for each language it reads.

English lists are here (they are the rule's own vocabulary, reviewed with it:
docs/clinical-safety/README.md); Spanish lists come from the content file
(``red_flags.spanish.grammar``, reviewed by the translator) through the Spanish
spaCy pipeline's meta. backcare_nlu.negation decides with ``cues`` ...
``not_a_sign_after``; backcare_nlu.triage with the rest.
"""

from dataclasses import dataclass
from typing import Any, Dict, FrozenSet, Tuple


@dataclass(frozen=True)
class Grammar:
    """Word lists of one language for negation and for whose sign it is."""

    # negation (backcare_nlu/negation.py)
    cues: FrozenSet[str]
    hedges: FrozenSet[str]
    clause_breaks: FrozenSet[str]
    list_joiners: FrozenSet[str]
    clause_starters: FrozenSet[str]
    not_a_sign_after: FrozenSet[str]
    # who and how (backcare_nlu/triage.py)
    clause_ends: FrozenSet[str]
    question_starters: FrozenSet[str]
    writer: FrozenSet[str]
    first_person: FrozenSet[str]
    other_people: FrozenSet[str]
    hypothetical: Tuple[Tuple[str, ...], ...]
    back: FrozenSet[str]
    my: FrozenSet[str]
    owners_of_others: FrozenSet[str]
    back_words: FrozenSet[str]
    # A phrase that starts with one of these names the sign itself ("no bladder
    # control", "ni acostado se quita"): an earlier cue does not negate it.
    sign_starts: FrozenSet[str] = frozenset({"no"})
    # Words that are a person only after "my"/"his" ("mi mamá", but "cáncer de mama").
    people_after_owner: FrozenSet[str] = frozenset()
    window: int = 7
    # Word sequences that say the writer only asks, to know ("just curious", "lo lei
    # en internet"): with them, an emergency sign that is only imagined or asked
    # about in general gets the check question, not the emergency advice.
    just_asking: Tuple[Tuple[str, ...], ...] = ()
    # Word sequences in which the writer speaks of their own back without "my"
    # ("me duele la espalda"): with them, a relative's old sign is not the writer's.
    own_back: Tuple[Tuple[str, ...], ...] = ()
    # Other people who act on the writer: before an "I" word they do not make the
    # sign someone else's ("someone rear ended me", "alguien me empujó").
    agents: FrozenSet[str] = frozenset()
    # Words that say a sign is there now: a resolved phrase later in the sentence
    # ("but that wore off") then speaks of something else ("my bum is numb now, like
    # after the epidural, but that wore off weeks ago").
    current: FrozenSet[str] = frozenset()
    # Words before a person the writer does something for ("had an epidural for my
    # baby", "para mi hijo"): that person is not the one with the sign.
    on_behalf: FrozenSet[str] = frozenset()
    # Whether an ambiguous word is dropped when its sentence explains it (a benign
    # phrase: "toes numb in the winter, raynauds") or only asks about it. English
    # only: measured on the Spanish sets, it let 7 of 911 red flags through.
    quiet_possible: bool = False


ENGLISH = Grammar(
    cues=frozenset({"no", "not", "never", "without", "nor", "neither", "none", "nothing", "deny",
                    "free", "n't", "n’t", "nt", "nobody", "noone"}),
    hedges=frozenset({"sure", "certain", "know", "remember", "if", "whether"}),
    # A new subject ("... and I wet myself") also ends the clause of an earlier cue.
    clause_breaks=frozenset({".", "!", "?", ";", ":", "and", "but", "however", "although",
                             "though", "yet", "except", "apart", "also", "plus", "then", "now",
                             "because", "i", "i'm", "i've", "im", "-", "--", "\n"}),
    list_joiners=frozenset({"or", "nor"}),
    clause_starters=frozenset({"i", "i'm", "im", "my", "we", "it", "there", "yes", "yeah",
                               "actually"}),
    not_a_sign_after=frozenset({"problem", "issue", "trouble", "change", "worry", "concern"}),
    clause_ends=frozenset({",", ".", "?", "!", ";", ":", "but", "\n"}),
    question_starters=frozenset({
        "can", "could", "does", "do", "is", "are", "will", "would", "should", "how", "what",
        "where", "when", "why", "which", "who", "am", "was", "did", "may", "might", "shall",
        "any", "anyone", "anybody"}),
    writer=frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "myself"}),
    # "is it normal that ..." asks about the writer's own symptom.
    first_person=frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "my", "mine",
                            "myself", "normal", "still"}),
    other_people=frozenset({
        "mum", "mom", "mother", "dad", "father", "wife", "husband", "partner", "son", "daughter",
        "friend", "brother", "sister", "grandma", "grandmother", "grandpa", "grandfather",
        "granny", "nan", "aunt", "uncle", "cousin", "colleague", "coworker", "boss", "neighbor",
        "neighbour", "someone", "somebody", "he", "she", "his", "her", "client", "clients",
        "kid", "child", "baby", "dog", "cat", "family", "relative", "people", "patients",
        "grandad", "granddad", "gran", "nana", "papa", "gramps", "stepdad", "stepmom",
        "stepmum", "hubby", "boyfriend", "girlfriend", "bf", "gf", "fiance", "fiancee",
        "roommate", "flatmate", "teammate", "mate", "kids", "children", "they", "them",
        "their", "toddler", "kiddo", "abuela", "abuelo", "mama", "esposo", "esposa", "hijo",
        "hija", "tia", "tio", "him", "buddy", "pal", "boy", "girl", "lad", "lass", "niece",
        "nephew", "patient", "pt", "husbands", "wifes"}),
    hypothetical=(("what", "if"), ("in", "case"), ("if", "you"), ("if", "someone"),
                  ("if", "somebody"), ("if", "a"), ("if", "one"), ("if", "i", "get"),
                  ("if", "i", "ever"), ("if", "i", "start"), ("if", "i", "develop"),
                  ("someone", "with"), ("people", "with"), ("anyone", "with"),
                  ("screening", "form"), ("intake", "form")),
    just_asking=(("just", "curious"), ("out", "of", "curiosity"), ("school", "project"),
                 ("for", "a", "project"), ("for", "an", "assignment"), ("for", "my", "assignment"),
                 ("for", "an", "essay"), ("for", "my", "essay"), ("for", "my", "course"),
                 ("for", "class"), ("homework",), ("read", "about", "it"), ("read", "online"),
                 ("read", "that"), ("saw", "a", "video"), ("on", "tiktok"), ("on", "youtube"),
                 ("saw", "it", "on"), ("on", "a", "website"), ("what", "does"), ("what", "is"),
                 ("meaning", "of"), ("a", "quiz"), ("nursing", "class"), ("nursing", "school"),
                 ("for", "school"), ("for", "an", "exam"), ("for", "my", "exam"),
                 ("studying", "for"), ("essay",), ("for", "uni"), ("for", "university"),
                 ("blog", "post"), ("health", "class")),
    back=frozenset({"back"}),
    my=frozenset({"my"}),
    owners_of_others=frozenset({"his", "her", "their"}),
    agents=frozenset({"someone", "somebody", "sb", "smb"}),
    current=frozenset({"now", "still", "currently"}),
    on_behalf=frozenset({"for"}),
    quiet_possible=True,
    back_words=frozenset({"lower", "upper", "own", "whole", "bad", "sore", "poor", "stupid",
                          "low"}),
)

FIELDS = ("cues", "hedges", "clause_breaks", "list_joiners", "clause_starters",
          "not_a_sign_after", "clause_ends", "question_starters", "writer", "first_person",
          "other_people", "back", "my", "owners_of_others", "back_words", "sign_starts",
          "people_after_owner", "agents", "current", "on_behalf")


def grammar_from(lists: Dict[str, Any]) -> Grammar:
    """A Grammar from word lists (the content file's ``red_flags.spanish.grammar``)."""
    words: Dict[str, Any] = {name: frozenset(str(w) for w in lists.get(name) or ())
                             for name in FIELDS}
    hypothetical = tuple(tuple(str(w) for w in seq) for seq in lists.get("hypothetical") or ())
    just_asking = tuple(tuple(str(w) for w in seq) for seq in lists.get("just_asking") or ())
    own_back = tuple(tuple(str(w) for w in seq) for seq in lists.get("own_back") or ())
    return Grammar(hypothetical=hypothetical, just_asking=just_asking, own_back=own_back,
                   window=int(lists.get("window", 7)),
                   quiet_possible=bool(lists.get("quiet_possible", False)), **words)
