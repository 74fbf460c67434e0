""".env.example lists every setting the code reads, with the defaults the code falls back to."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = [*ROOT.glob("actions/*.py"), *ROOT.glob("backcare_*/*.py"), *ROOT.glob("scripts/*/*"),
        ROOT / "Makefile", *ROOT.glob("*.yml"), *ROOT.glob("deploy/*")]
READS = [
    re.compile(r"""os\.environ\.get\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""os\.environ\[["']([A-Z][A-Z0-9_]+)["']\]"""),
    re.compile(r"""os\.getenv\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"\$\{([A-Z][A-Z0-9_]+)[}:]"),
    re.compile(r"""setting_path\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
    re.compile(r"""\bsetting\(\s*["']([A-Z][A-Z0-9_]+)["']"""),
]
NAME = r"""["']([A-Z][A-Z0-9_]+)["']"""
PYTHON_DEFAULT = re.compile(r"os\.environ\.get\(\s*" + NAME + r"""\s*,\s*["']([^"']*)["']""")
PYTHON_OR_DEFAULT = re.compile(r"os\.environ\.get\(\s*" + NAME + r"""\)\s*or\s*["']([^"']*)["']""")
SETTING_DEFAULT = re.compile(r"\bsetting\(\s*" + NAME + r"""\s*,\s*["']([^"']*)["']""")
SHELL_DEFAULT = re.compile(r"\$\{([A-Z][A-Z0-9_]+):-([^}$]+)\}")
# Read by the tools themselves, not settings of BackCare.
NOT_SETTINGS = {"VENV", "PYENV_ROOT", "TEST_ACTION_PORT", "FOLDS", "HOME",
                # filled in deploy/'s nginx and logrotate templates by prod.sh or compose
                "NGINX_PORT", "NGINX_ACCESS_LOG", "RASA_1_ADDR", "RASA_2_ADDR", "WEB_ADDR",
                "LOG_DIR",
                # filled in deploy/supervisord.conf.template by prod.sh
                "RUN_DIR", "ROOT_DIR", "VENV_DIR", "NGINX", "CORS_ORIGINS"}


def example():
    """Names (set or commented) and values of .env.example."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match:
            values[match.group(1)] = match.group(2)
    return values


def code_text(include_containers: bool = True):
    """The code's text; containers (deploy/) name hosts by service, so their defaults differ."""
    return "\n".join(path.read_text(errors="ignore") for path in CODE if path.is_file()
                     and (include_containers or "deploy" not in path.parts))


def test_every_setting_the_code_reads_is_in_env_example():
    text = code_text()
    read = {name for pattern in READS for name in pattern.findall(text)} - NOT_SETTINGS
    missing = sorted(read - set(example()))
    assert not missing, f"add to .env.example: {missing}"
    assert {"BACKCARE_SOCKET_URL", "WEB_HOST", "BACKCARE_CONTENT", "BACKCARE_TRACKER_URL"} <= read


def test_defaults_in_code_match_env_example():
    values, text = example(), code_text(include_containers=False)
    defaults = (PYTHON_DEFAULT.findall(text) + PYTHON_OR_DEFAULT.findall(text)
                + SETTING_DEFAULT.findall(text) + SHELL_DEFAULT.findall(text))
    differ = [(name, default, values[name]) for name, default in defaults
              if name in values and values[name] and default != values[name]]
    assert not differ, f"(setting, default in code, .env.example): {differ}"
    assert ("WEB_PORT", "8080") in defaults  # the scan sees the code's defaults


def test_no_secret_has_a_value_in_env_example():
    secrets = {name: value for name, value in example().items()
               if re.search(r"PASSWORD|TOKEN|SECRET|AUTH", name)}
    assert secrets and not any(secrets.values()), secrets
