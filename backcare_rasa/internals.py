"""The one guard for the private names of Rasa 3.6 and python-socketio that BackCare uses.

Where Rasa offers no extension point, a few BackCare modules override or call
a private method (``RulePolicy._get_possible_keys``), or read internal state
(python-socketio's ``handlers``). Private names may change in any release
without notice, so each such module declares what it uses by calling
:func:`uses_private` when it is imported: on any other version than the one
pinned here the import fails at once, naming the module, the names and the
file of the library to check, instead of misbehaving at run time.
``tests/test_internals.py`` finds every private name of those libraries in
BackCare's code and fails when one is used without being declared here.
"""

from importlib.metadata import version as installed_version
from typing import Dict, List, Optional

# The versions the declared private names were checked against.
PINNED = {"rasa": "3.6.21", "python-socketio": "5.8.0"}
NAMES = {"rasa": "Rasa", "python-socketio": "python-socketio"}
# Module -> the private names it declared (filled as modules are imported).
DECLARED: Dict[str, List[str]] = {}


def check_version(package: str, what: str, where: str, version: Optional[str] = None) -> None:
    """Refuse any version of ``package`` but the pinned one, saying what to check."""
    found, name = version or installed_version(package), NAMES[package]
    if found != PINNED[package]:
        raise RuntimeError(
            f"BackCare uses {what} of {name} {PINNED[package]}; this is {name} {found}. "
            f"Check {where} in the new version, then update backcare_rasa/internals.py.")


def uses_private(module: str, package: str, names: List[str], where: str,
                 version: Optional[str] = None) -> None:
    """Declare that ``module`` uses these private ``names`` of ``package`` (in ``where``)."""
    check_version(package, ", ".join(names), where, version)
    DECLARED.setdefault(module, []).extend(names)
