"""Clinical review metadata: shown to patients, enforced in production."""

import dataclasses
import datetime
import os
import subprocess
import sys

import pytest
import yaml

from actions.content import ContentError, load_content
from actions.review import Review, enforce, review_problem
from backcare_stack.stack import ROOT
from tests.conftest import shown

REVIEWED = Review(status="approved", reviewer_name="Dr Ada Lovelace",
                  reviewer_role="general practitioner",
                  reviewed_on=datetime.date(2026, 1, 10),
                  next_review_due=datetime.date(2027, 1, 10))
TODAY = datetime.date(2026, 11, 29)


def test_draft_and_overdue_content_are_problems_and_reviewed_content_is_not():
    assert "not been clinically reviewed" in review_problem(Review(status="draft"), TODAY)
    assert review_problem(REVIEWED, TODAY) is None
    assert "was due on 2027-01-10" in review_problem(REVIEWED, datetime.date(2027, 2, 1))


def test_production_refuses_draft_content_and_development_warns(monkeypatch, caplog):
    monkeypatch.setenv("BACKCARE_ENV", "production")
    with pytest.raises(SystemExit, match="BACKCARE_ENV=production.*not been clinically.*staging"):
        enforce(Review(status="draft"))
    monkeypatch.setenv("BACKCARE_ENV", "staging")
    enforce(Review(status="draft"))
    assert "Not for patients (BACKCARE_ENV=staging)" in caplog.text


def test_an_approved_file_loads_with_its_reviewer(tmp_path):
    text = (ROOT / "content" / "medical.yml").read_text().replace(
        "  status: draft\n", "  status: approved\n  reviewed_by: {name: Dr Ada Lovelace, "
        "role: general practitioner}\n  reviewed_on: 2026-01-10\n  next_review_due: 2027-01-10\n")
    path = tmp_path / "medical.yml"
    path.write_text(text)
    assert load_content(path).review == REVIEWED


def test_an_unreviewed_file_is_never_shown_as_reviewed(tmp_path):
    path = tmp_path / "medical.yml"
    path.write_text((ROOT / "content" / "medical.yml").read_text().replace(
        "  status: draft\n", "  status: draft\n  reviewed_on: 2026-11-26\n"))
    with pytest.raises(ContentError, match="meta.reviewed_on"):
        load_content(path)


async def test_where_is_this_from_says_whether_a_clinician_reviewed_it(
        dispatcher, make_tracker, domain, monkeypatch):
    from actions import CONTENT
    from actions.answers import ActionAnswerTopic

    await ActionAnswerTopic().run(dispatcher, make_tracker(intent="ask_source"), domain)
    assert "not been checked by a clinician yet" in shown(dispatcher, domain)[-1]
    monkeypatch.setattr("actions.answers.CONTENT",
                        dataclasses.replace(CONTENT.version("en"), review=REVIEWED))
    dispatcher.messages.clear()
    await ActionAnswerTopic().run(dispatcher, make_tracker(intent="ask_source"), domain)
    assert shown(dispatcher, domain)[-1] == (
        "This information was reviewed by Dr Ada Lovelace (general practitioner) on "
        "2026-01-10. Next review due by 2027-01-10.")


@pytest.mark.server
def test_make_run_in_production_with_draft_content_exits_with_the_reason(tmp_path):
    draft = tmp_path / "medical.yml"
    draft.write_text((ROOT / "content" / "medical.yml").read_text())
    env = {**os.environ, "BACKCARE_ENV": "production", "BACKCARE_CONTENT": str(draft),
           "RASA_PORT": "59305", "ACTION_PORT": "59355", "WEB_PORT": "59380"}
    result = subprocess.run(["make", "run"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode != 0
    assert "will not start with BACKCARE_ENV=production" in result.stderr
    assert "not been clinically reviewed" in result.stderr
    assert "Starting the action server" not in result.stdout


def _run_actions_with(tmp_path, translation, code):
    """Import actions in production on an approved copy of the content; run code; stdout."""
    data = yaml.safe_load((ROOT / "content" / "medical.yml").read_text(encoding="utf-8"))
    today = datetime.date.today()
    data["meta"].update(status="approved", reviewed_on=today.isoformat(),
                        next_review_due=today.replace(year=today.year + 1).isoformat(),
                        reviewed_by={"name": "Dr Ana Ruiz", "role": "family physician"},
                        translation=translation)
    path = tmp_path / "medical.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    env = {**os.environ, "BACKCARE_ENV": "production", "BACKCARE_CONTENT": str(path)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


SPANISH_DISCLAIMER = ("from actions import CONTENT\nfrom actions.language import CURRENT\n"
                      "CURRENT.set('es')\nprint(CONTENT.disclaimer.text)")


def test_production_serves_no_spanish_text_a_translator_has_not_approved(tmp_path):
    english = load_content().disclaimer.text
    out = _run_actions_with(tmp_path, {"status": "draft"}, SPANISH_DISCLAIMER)
    assert out.strip() == english


def test_production_serves_spanish_text_a_translator_approved(tmp_path):
    translation = {"status": "approved", "reviewed_on": "2026-12-01",
                   "translated_by": {"name": "Lucía Gómez", "qualification": "CHI-Spanish"}}
    out = _run_actions_with(tmp_path, translation, SPANISH_DISCLAIMER)
    assert out.strip() == load_content(language="es").disclaimer.text


def test_an_approved_translation_needs_the_translator(tmp_path):
    with pytest.raises(AssertionError, match="translated_by"):
        _run_actions_with(tmp_path, {"status": "approved", "reviewed_on": "2026-12-01"},
                          "import actions")
