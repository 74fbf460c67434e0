"""BackCare's extensions to Rasa that are not language understanding.

- ``diet``: a DIET classifier that loads faster for serving (a component
  named in config.yml; it changes only that component).
- ``action_client``: the custom-action client that answers when the action
  server is unreachable. Rasa 3.6 has no extension point for it, so it is a
  patch, installed only by ``python -m backcare_rasa`` (BackCare's ``rasa``
  command) through ``patches``, the one installer, which refuses any other
  Rasa version.
- ``patches``: that installer (also used for ``rasa shell``'s console).

Importing this package changes nothing.
"""
