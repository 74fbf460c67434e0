"""Every private name of Rasa or python-socketio that BackCare uses goes through one guard."""

import ast
import importlib
import sysconfig
from functools import lru_cache
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Dict, Set

import pytest

from backcare_rasa import internals

ROOT = Path(__file__).resolve().parent.parent
SITE = Path(sysconfig.get_paths()["purelib"])
LIBRARIES = {"rasa": ["rasa"], "python-socketio": ["socketio", "engineio"]}
CODE = sorted(path for folder in ("actions", "backcare_rasa", "backcare_channels",
                                  "backcare_nlu", "backcare_console")
              for path in (ROOT / folder).glob("*.py"))
# Names BackCare gives its own helpers that a library happens to use privately too
# (checked by hand: none is inherited from or looked up on a library object).
OWN = {"backcare_channels/sms.py": {"_send"}, "backcare_console/transcript.py": {"_value"},
       "backcare_rasa/lock_store.py": {"_connection"},
       # GraphComponents keep their own configuration under this name.
       "backcare_nlu/language.py": {"_config"}, "backcare_nlu/safety_net.py": {"_config"}}


@lru_cache(maxsize=None)
def private_names(package: str) -> Set[str]:
    """Private methods and attributes the library's own code defines."""
    names: Set[str] = set()
    for folder in LIBRARIES[package]:
        for path in (SITE / folder).rglob("*.py"):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (SyntaxError, UnicodeDecodeError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(node.name)
                elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                    names.add(node.attr)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def used_private_names(path: Path) -> Dict[str, Set[str]]:
    """The libraries' private names this file reads, calls or overrides, by library."""
    tree = ast.parse(path.read_text())
    names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names |= {node.name for node in ast.walk(tree)
              if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
              for alias in node.names}
    names -= OWN.get(str(path.relative_to(ROOT)), set())
    return {package: names & private_names(package) for package in LIBRARIES
            if names & private_names(package)}


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_the_scan_finds_what_it_looks_for():
    """Guards the scan itself: a known override is found."""
    assert "_get_possible_keys" in used_private_names(ROOT / "backcare_rasa/rule_policy.py")["rasa"]


@pytest.mark.parametrize("path", CODE, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_private_name_is_declared_to_the_guard(path):
    used = used_private_names(path)
    if not used:
        return
    module = importlib.import_module(module_name(path))
    if module.__name__ == "backcare_rasa.patches":
        module.install_text_console()  # declares what it replaces when it installs it
    declared = " ".join(internals.DECLARED.get(module.__name__, []))
    missing = sorted(name for names in used.values() for name in names if name not in declared)
    assert not missing, (f"{path.name} uses private names {missing} without declaring them: "
                         "call backcare_rasa.internals.uses_private")


@pytest.mark.parametrize("package", sorted(internals.PINNED))
def test_another_library_version_stops_the_import_with_what_to_check(package):
    with pytest.raises(RuntimeError, match=f"this is {internals.NAMES[package]} 99.0.*"
                                           "backcare_rasa/internals.py"):
        internals.uses_private("backcare_x", package, ["Thing._private"], "thing.py",
                               version="99.0")
    assert internals.PINNED[package] == installed_version(package)
