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
    assert template in (ROOT / "scripts" / "operate" / "prod.sh").read_text()
    # Both Rasa servers need the token for the conversations API nginx exposes:
    # by environment, never on their command line.
    for name in ("rasa-1", "rasa-2"):
        service = compose["services"][name]
        assert "--enable-api" in service["command"]
        assert "RASA_API_TOKEN" in service["environment"]


@pytest.mark.parametrize("launcher", ["scripts/operate/prod.sh", "scripts/operate/serve.sh",
                                      "deploy/docker-compose.yml",
                                      "deploy/supervisord.conf.template"])
def test_no_launcher_puts_a_secret_on_a_command_line(launcher):
    """`ps` shows every process's arguments to every user of the machine."""
    text = (ROOT / launcher).read_text()
    assert "--auth-token" not in text
    assert not re.search(r"postgresql://\S*\$", text), "a password built into a URL"


def test_the_api_token_reaches_rasa_from_a_file_even_when_it_begins_with_a_dash(tmp_path):
    """A generated token starts with '-' one time in 64 (secrets.token_urlsafe);
    given as a separate argument Rasa's command line takes it for an option."""
    from rasa.__main__ import create_argument_parser

    from backcare_rasa.__main__ import api_token_arguments

    token_file = tmp_path / "api-token"
    token_file.write_text("-Tm9x\n")
    argv = ["rasa", "run", "--enable-api"]
    extra = api_token_arguments(argv, {"BACKCARE_API_TOKEN_FILE": str(token_file),
                                       "RASA_API_TOKEN": "other"})
    assert create_argument_parser().parse_args(argv[1:] + extra).auth_token == "-Tm9x"
    assert api_token_arguments(argv, {"RASA_API_TOKEN": "abc"}) == ["--auth-token=abc"]
    assert api_token_arguments(["rasa", "run"], {"RASA_API_TOKEN": "abc"}) == []
    with pytest.raises(SystemExit, match="needs a token"):
        api_token_arguments(argv, {})


def test_a_missing_token_file_is_named_not_a_stack_trace(tmp_path):
    from backcare_rasa.__main__ import api_token_arguments

    missing = tmp_path / "no-such-token"
    with pytest.raises(SystemExit, match=f"BACKCARE_API_TOKEN_FILE={missing}: No such file"):
        api_token_arguments(["rasa", "run", "--enable-api"],
                            {"BACKCARE_API_TOKEN_FILE": str(missing)})


def test_the_console_encodes_a_database_password_with_any_character(monkeypatch):
    import sqlalchemy as sa

    from backcare_console.schema import database_url

    monkeypatch.delenv("BACKCARE_TRACKER_URL", raising=False)
    monkeypatch.setenv("BACKCARE_TRACKER_STORE", "postgresql")
    monkeypatch.setenv("POSTGRES_PASSWORD", "p@ss:w/rd#1%")
    monkeypatch.setenv("POSTGRES_HOST", "db.example")
    url = sa.engine.make_url(database_url())
    assert (url.password, url.host) == ("p@ss:w/rd#1%", "db.example")
