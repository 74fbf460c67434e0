"""BackCare's Rasa-side extensions.

The red-flag safety net and the unreadable-text guard (NLU components), and
the fallback that answers when the action server is unreachable.
"""

from backcare_nlu.action_fallback import install as _install_action_fallback

_install_action_fallback()
