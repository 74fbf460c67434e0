"""Rasa's RulePolicy, with its rule lookup indexed: same predictions, less work a turn.

At every prediction Rasa's RulePolicy checks every learned rule against the
conversation's states, newest first, and keeps going back to the very first
turn even once every rule still in the running is shorter than that (a rule
shorter than the distance back always matches there). It does so twice per
prediction (text and intent), for the rules and again for the form's unhappy
paths.

``IndexedRulePolicy`` returns the same set of rules, found with less work:

- a rule whose newest state names a previous action can only match a
  conversation whose latest action has that name, so at the newest state only
  those rules and the rules without such a name are checked;
- it stops going back once every remaining rule is shorter than the distance
  back, since Rasa's check accepts every such rule at every older state.

Everything else (training, the lookup it learns and persists, the prediction)
is Rasa's. ``tests/test_rule_policy.py`` checks the two give the same rules.

Rasa's training check warns that 'RulePolicy' is missing when the config names
a subclass (it compares classes with ``==``), and that default intents such as
restart will do nothing; they do here (inherited), so that one warning is
silenced.
"""

import warnings
from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.core.generator import State
from rasa.shared.nlu.constants import ACTION_NAME

from backcare_rasa.internals import uses_private

uses_private(__name__, "rasa", ["RulePolicy._rule_key_to_state", "RulePolicy._get_possible_keys",
                                "RulePolicy._is_rule_applicable"],
             "rasa/core/policies/rule_policy.py")

warnings.filterwarnings(
    "ignore", message="'RulePolicy' is not included in the model's policy configuration")


class _RuleIndex:
    """A rule lookup's keys grouped by the previous action of their newest state."""

    def __init__(self, lookup: Dict[Text, Text]) -> None:
        self.lookup = lookup  # kept so its id stays this lookup's while the index lives
        self.size = len(lookup)
        self.by_action: Dict[Text, List[Text]] = {}
        self.unnamed: List[Text] = []
        self.length: Dict[Text, int] = {}
        for key in lookup:
            rule_states = RulePolicy._rule_key_to_state(key)
            self.length[key] = len(rule_states)
            name = _previous_action_name(rule_states[-1]) if rule_states else None
            if name is None:
                self.unnamed.append(key)
            else:
                self.by_action.setdefault(name, []).append(key)

    def candidates(self, newest: State) -> List[Text]:
        """Keys that may match a conversation whose newest state is ``newest``."""
        name = _previous_action_name(newest)
        return self.unnamed + self.by_action.get(name, []) if name else self.unnamed


def _previous_action_name(state: State) -> Optional[Text]:
    """The action name a state requires (a rule) or has (a conversation), if any."""
    name = (state.get(PREVIOUS_ACTION) or {}).get(ACTION_NAME)
    return name if name and name != SHOULD_NOT_BE_SET else None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class IndexedRulePolicy(RulePolicy):
    """RulePolicy that finds the applicable rules through an index (see module doc)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """As RulePolicy; the indexes are built on first use."""
        super().__init__(*args, **kwargs)
        self._indexes: Dict[int, _RuleIndex] = {}

    def _rule_index(self, lookup: Dict[Text, Text]) -> _RuleIndex:
        """The index of ``lookup``, built on first use (training builds new lookups)."""
        index = self._indexes.get(id(lookup))
        if index is None or index.lookup is not lookup or index.size != len(lookup):
            index = self._indexes[id(lookup)] = _RuleIndex(lookup)
        return index

    def _get_possible_keys(
        self, lookup: Dict[Text, Text], states: List[State]
    ) -> Set[Text]:
        """The keys of ``lookup`` whose rules match ``states`` (as Rasa's method)."""
        if not states:
            return set(lookup.keys())
        index = self._rule_index(lookup)
        newest = states[-1]
        possible = {
            key for key in index.candidates(newest)
            if self._is_rule_applicable(key, 0, newest)
        }
        back = 1
        while possible and back < len(states):
            if all(index.length[key] <= back for key in possible):
                break  # every remaining rule is shorter: Rasa would keep them all
            state = states[-1 - back]
            possible = {key for key in possible if self._is_rule_applicable(key, back, state)}
            back += 1
        return possible
