"""BackCare's language-understanding components, named in config.yml.

The red-flag safety net and its triage rule, negation, the request focus for
long messages, the unreadable-text guard and the compiled language-model
featurizer. Importing this package changes nothing in Rasa.
"""
