"""Container images never carry conversations, secrets, the local venv or models."""

import fnmatch
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def excluded(path: str) -> bool:
    """Whether .dockerignore keeps ``path`` out of the build context (last match wins)."""
    result = False
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        if any(fnmatch.fnmatch(p, pattern) or fnmatch.fnmatch(p, pattern.replace("**/", ""))
               or fnmatch.fnmatch(p.split("/")[-1], pattern.replace("**/", ""))
               for p in prefixes):
            result = not negate
    return result


@pytest.mark.parametrize("path", [
    "var/tracker.db", "var/log/rasa.log", "var/prod/api-token", ".venv/bin/python",
    "models/backcare.tar.gz",
    ".env", ".env.production", "reports/safety.json", "build/spacy/en_backcare/meta.json",
    "content/clinic.yml", "actions/__pycache__/content.cpython-310.pyc", ".git/config",
])
def test_private_and_local_files_never_reach_an_image(path):
    assert excluded(path)


@pytest.mark.parametrize("path", [
    "actions/content.py", "content/medical.yml", "domain.yml", ".env.example",
    "requirements.txt", "deploy/Dockerfile", "data/nlu/faq.yml",
])
def test_what_the_image_needs_is_kept(path):
    assert not excluded(path)


def test_compose_publishes_only_nginx_with_the_file_make_prod_uses():
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    published = {name: service["ports"] for name, service in compose["services"].items()
                 if service.get("ports")}
    assert list(published) == ["nginx"], published
    template = "deploy/nginx/backcare.conf.template"
    mounted = compose["services"]["nginx"]["volumes"][0].split(":")[0]
    assert (ROOT / "deploy" / mounted).resolve() == (ROOT / template).resolve()
    assert template in (ROOT / "scripts" / "prod.sh").read_text()
    # Both Rasa servers need the token for the conversations API nginx exposes.
    for name in ("rasa-1", "rasa-2"):
        assert any(arg.startswith("--auth-token=") for arg in compose["services"][name]["command"])


def test_an_api_token_that_begins_with_a_dash_still_starts_rasa():
    """A generated token starts with '-' one time in 64 (secrets.token_urlsafe).

    Given as a separate argument, Rasa's command line takes it for an option and
    refuses to start (make bench met this); every launcher passes it as --auth-token=.
    """
    from rasa.__main__ import create_argument_parser

    args = create_argument_parser().parse_args(["run", "--enable-api", "--auth-token=-Tm9x"])
    assert args.auth_token == "-Tm9x"
    with pytest.raises(SystemExit):
        create_argument_parser().parse_args(["run", "--enable-api", "--auth-token", "-Tm9x"])
    for launcher in ("scripts/prod.sh", "scripts/serve.sh", "deploy/docker-compose.yml"):
        forms = re.findall(r"--auth-token(.)", (ROOT / launcher).read_text())
        assert forms and set(forms) == {"="}, launcher
