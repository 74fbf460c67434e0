"""Actions speak the conversation's language.

The ``language`` slot ("en" or "es", set from the NLU's ``language`` entity)
says which language a conversation is held in. An action class that mixes in
``Speaks`` runs with that language set (a context variable, local to the
request being served), and ``actions.CONTENT`` then gives the medical content
in that language: the same items, ids and sources, each text in English or in
its reviewed Spanish translation (``content/medical.yml``, keys ending in
``_es``). Domain responses follow the slot by themselves (response conditions).
"""

import functools
from contextvars import ContextVar
from typing import Any, Dict, Generic, Text, TypeVar

from rasa_sdk import Tracker

LANGUAGES = ("en", "es")
CURRENT: ContextVar[Text] = ContextVar("backcare_language", default="en")
T = TypeVar("T")


def language_of(tracker: Tracker) -> Text:
    """The language the conversation is held in: "en" or "es" (the ``language`` slot)."""
    return "es" if tracker.get_slot("language") == "es" else "en"


class Speaks:
    """Mixin for actions: ``run`` sees ``CONTENT`` in the conversation's language."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Wrap the subclass's own ``run`` so that it sets the language first."""
        super().__init_subclass__(**kwargs)
        run = cls.__dict__.get("run")
        if run is None:
            return

        @functools.wraps(run)
        async def run_in_language(self: Any, dispatcher: Any, tracker: Tracker,
                                  domain: Dict[Text, Any]) -> Any:
            token = CURRENT.set(language_of(tracker))
            try:
                return await run(self, dispatcher, tracker, domain)
            finally:
                CURRENT.reset(token)

        cls.run = run_in_language  # type: ignore[attr-defined]


class InLanguage(Generic[T]):
    """One object per language; attribute reads go to the current language's."""

    def __init__(self, versions: Dict[Text, T]) -> None:
        """``versions``: language code -> object (English must be there)."""
        self._versions = versions

    def __getattr__(self, name: str) -> Any:
        """The attribute of the object in the current language (English by default)."""
        versions = self.__dict__["_versions"]
        return getattr(versions.get(CURRENT.get()) or versions["en"], name)

    def version(self, language: Text) -> T:
        """The object for one language."""
        return self._versions.get(language) or self._versions["en"]
