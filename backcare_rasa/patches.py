"""The one place BackCare replaces parts of Rasa, where Rasa 3.6 offers no extension point.

- the custom-action client (``RemoteAction``, also imported by name in
  ``forms.py``): :mod:`backcare_rasa.action_client`;
- the console's two functions that ``rasa shell`` uses:
  :mod:`backcare_channels.terminal`;
- the server's app factory (``configure_app``), so that every Rasa server
  freezes its loaded model once started, whatever channels credentials.yml
  names: :mod:`backcare_rasa.memory`.

Each installer checks the Rasa version first and refuses any other, because
what it replaces is not a public API. They run only when called: from
``python -m backcare_rasa`` (run, test) and ``python -m backcare_channels.terminal``
(shell). Everything else in BackCare extends Rasa through config.yml,
credentials.yml and endpoints.yml.
"""

import functools
from typing import Any

import rasa

from backcare_rasa.internals import PINNED, check_version, uses_private

SUPPORTED_RASA = PINNED["rasa"]


def check_rasa_version(what: str, where: str, version: str = rasa.__version__) -> None:
    """Refuse to replace ``what`` on any Rasa but the one it was written for."""
    check_version("rasa", f"its {what}", where, version)


def install_action_client(version: str = rasa.__version__) -> None:
    """Custom actions (forms' validation included) answer when the action server is down."""
    check_rasa_version("RemoteAction", "rasa/core/actions/action.py and forms.py", version)
    from rasa.core.actions import action, forms

    from backcare_rasa.action_client import RemoteActionWithFallback

    action.RemoteAction = RemoteActionWithFallback
    forms.RemoteAction = RemoteActionWithFallback  # imported by name when forms loads


def install_text_console(version: str = rasa.__version__) -> None:
    """``rasa shell`` prints buttons as numbered options and reads typed text."""
    uses_private(__name__, "rasa", ["console._print_bot_output", "console._get_user_input"],
                 "rasa/core/channels/console.py", version)
    from rasa.core.channels import console

    from backcare_channels.terminal import get_user_input, print_bot_output

    console._print_bot_output = print_bot_output
    console._get_user_input = get_user_input


def install_gc_freeze(version: str = rasa.__version__) -> None:
    """Every ``rasa run`` server exempts its loaded model from full garbage collections."""
    check_rasa_version("configure_app", "rasa/core/run.py (serve_application)", version)
    from rasa.core import run

    from backcare_rasa.memory import freeze_loaded_objects

    original = run.configure_app
    if getattr(original, "freezes_loaded_objects", False):
        return

    @functools.wraps(original)
    def configure_app(*args: Any, **kwargs: Any) -> Any:
        app = original(*args, **kwargs)
        app.register_listener(freeze_loaded_objects, "after_server_start")
        return app

    configure_app.freezes_loaded_objects = True  # type: ignore[attr-defined]
    run.configure_app = configure_app
