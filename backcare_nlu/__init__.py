"""BackCare's Rasa-side extensions.

The red-flag safety net and the unreadable-text guard (NLU components), the
compiled language-model featurizer, the fallback that answers when the action
server is unreachable, and a faster way to load the trained models for
serving. The last two change Rasa's behaviour process-wide, so they are
installed here, when Rasa imports this package to load a BackCare model.
"""

from backcare_nlu import action_fallback, fast_model_load

action_fallback.install()
fast_model_load.install()
