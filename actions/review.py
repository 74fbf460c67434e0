"""Clinical review of the content file: who signed it off, when, and when it is due again.

``meta.translation`` says whether a qualified human translator approved the
Spanish text (Section 1557: machine-translated health text must be reviewed).
With ``BACKCARE_ENV=production`` and no approval, Spanish speakers get the
reviewed English medical text, told in Spanish why (``spanish_allowed``).

``meta`` in content/medical.yml says whether a clinician approved the content
(``status: approved`` with ``reviewed_by`` name and role, ``reviewed_on`` and
``next_review_due`` at most 36 months later) or not yet (``status: draft``).
With ``BACKCARE_ENV=production`` the servers refuse to start on draft or
overdue content (`make run` checks first, by importing ``actions``); in
development they start and log a warning.
"""

import datetime
import logging
import os
from dataclasses import dataclass
from typing import Any, Dict, Optional

logger = logging.getLogger(__name__)
STATUSES = ("draft", "approved")
MAX_REVIEW_MONTHS = 36


@dataclass(frozen=True)
class Translation:
    """Who reviewed the Spanish translation of every text, and when."""

    status: str = "draft"
    translator_name: str = ""
    translator_qualification: str = ""
    reviewed_on: Optional[datetime.date] = None

    @property
    def approved(self) -> bool:
        """True when a qualified human translator approved the Spanish text."""
        return self.status == "approved"


@dataclass(frozen=True)
class Review:
    """The content's review state."""

    status: str
    reviewer_name: str = ""
    reviewer_role: str = ""
    reviewed_on: Optional[datetime.date] = None
    next_review_due: Optional[datetime.date] = None
    translation: Translation = Translation()

    @property
    def approved(self) -> bool:
        """True when a clinician approved this version."""
        return self.status == "approved"


def _date(value: Any, key: str, fail: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise fail(key, "must be a date, YYYY-MM-DD") from None


def _months_later(start: datetime.date, months: int) -> datetime.date:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(start.day, 28))


def read_translation(data: Any, fail: Any) -> Translation:
    """Validate ``meta.translation`` (the Spanish text's review by a translator)."""
    if data is None:
        return Translation()
    if not isinstance(data, dict):
        raise fail("meta.translation", "must be a mapping")
    unknown = sorted(set(data) - {"language", "status", "translated_by", "reviewed_on", "note"})
    if unknown:
        raise fail(f"meta.translation.{unknown[0]}", "unknown key (expected language, status, "
                   "translated_by, reviewed_on, note)")
    status = data.get("status")
    if status not in STATUSES:
        raise fail("meta.translation.status", "must be draft or approved")
    if status == "draft":
        return Translation()
    translator = data.get("translated_by")
    if not isinstance(translator, dict) or not all(
            isinstance(translator.get(k), str) and translator[k].strip()
            for k in ("name", "qualification")):
        raise fail("meta.translation.translated_by",
                   "needs the translator's name and qualification")
    return Translation(status=status, translator_name=translator["name"].strip(),
                       translator_qualification=translator["qualification"].strip(),
                       reviewed_on=_date(data.get("reviewed_on"), "meta.translation.reviewed_on",
                                         fail))


def read_review(meta: Dict[str, Any], fail: Any) -> Review:
    """Validate ``meta``; ``fail(key, problem)`` builds the error to raise."""
    known = {"version", "status", "reviewed_by", "reviewed_on", "next_review_due", "review_note",
             "translation"}
    unknown = sorted(set(meta) - known)
    if unknown:
        expected = ", ".join(sorted(known))
        raise fail(f"meta.{unknown[0]}", f"unknown key (expected one of {expected})")
    status = meta.get("status")
    if status not in STATUSES:
        raise fail("meta.status", "must be draft or approved")
    if status == "draft":
        for key in ("reviewed_by", "reviewed_on", "next_review_due"):
            if meta.get(key) is not None:
                raise fail(f"meta.{key}", "only with status: approved (a draft was not reviewed)")
        return Review(status=status, translation=read_translation(meta.get("translation"), fail))
    reviewer = meta.get("reviewed_by")
    if not isinstance(reviewer, dict) or not all(
            isinstance(reviewer.get(k), str) and reviewer[k].strip() for k in ("name", "role")):
        raise fail("meta.reviewed_by", "needs the reviewer's name and role")
    reviewed_on = _date(meta.get("reviewed_on"), "meta.reviewed_on", fail)
    due = _date(meta.get("next_review_due"), "meta.next_review_due", fail)
    if not reviewed_on < due <= _months_later(reviewed_on, MAX_REVIEW_MONTHS):
        raise fail("meta.next_review_due",
                   f"must be after reviewed_on and at most {MAX_REVIEW_MONTHS} months later")
    return Review(status=status, reviewer_name=reviewer["name"].strip(),
                  reviewer_role=reviewer["role"].strip(), reviewed_on=reviewed_on,
                  next_review_due=due,
                  translation=read_translation(meta.get("translation"), fail))


def review_problem(review: Review, today: Optional[datetime.date] = None) -> Optional[str]:
    """Why this content must not go in front of patients, or None."""
    today = today or datetime.date.today()
    if not review.approved:
        return ("the medical content has not been clinically reviewed (meta.status: draft). "
                "Have a clinician review every item in content/medical.yml, then set "
                "meta.status: approved with reviewed_by, reviewed_on and next_review_due")
    if review.next_review_due and review.next_review_due < today:
        return (f"the clinical review of the medical content was due on "
                f"{review.next_review_due.isoformat()}. Have it reviewed again and update meta")
    return None


def spanish_allowed(review: Review) -> bool:
    """False in production while no qualified translator has approved the Spanish text."""
    return review.translation.approved or not production()


def production() -> bool:
    """True when BACKCARE_ENV says this is a deployment for patients."""
    return os.environ.get("BACKCARE_ENV", "development").lower() == "production"


def enforce(review: Review) -> None:
    """Refuse to serve unreviewed or overdue content in production; warn otherwise."""
    problem = review_problem(review)
    if problem and production():
        raise SystemExit(f"BackCare will not start with BACKCARE_ENV=production: {problem}. "
                         "To try the setup before sign-off, not for patients: BACKCARE_ENV=staging")
    if problem:
        logger.warning("Not for patients (BACKCARE_ENV=%s): %s.",
                       os.environ.get("BACKCARE_ENV", "development"), problem)
