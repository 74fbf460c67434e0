"""make review-sheet: one document from which a clinician can review and sign the whole bot."""

import html
import re
import shutil
from dataclasses import replace

import pytest
import yaml

from actions.catalog import ARTICLE, patient_facing
from actions.content import load_content
from backcare_stack.stack import ROOT
from scripts.operate import review_sheet

CONTENT = load_content()


def render(content=CONTENT):
    sentences = review_sheet.article_sentences(ARTICLE) if ARTICLE.exists() else None
    return review_sheet.render(content, sentences, "abc1234")


def test_sheet_lists_every_patient_facing_item_with_decision_fields_and_sign_off():
    page = render()
    entries = patient_facing(CONTENT)
    for entry in entries:
        assert f"<code>{entry.key}</code>" in page, entry.key
    assert page.count("&#9744; Approve<br>") == len(entries)
    assert "Reviewer's name" in page
    assert "Next review due" in page and "Signature" in page
    assert "draft: not yet clinically reviewed" in page
    for source in CONTENT.sources.values():
        assert html.escape(source.get("url", source["title"])) in page


def test_sheet_shows_the_article_sentence_each_article_item_paraphrases():
    if not ARTICLE.exists():
        pytest.skip(f"{ARTICLE} is not beside this checkout")
    page = render()
    assert "NOT FOUND" not in page
    assert "more relief than usual care" in page  # the evidence item's sentence


def test_sheet_flags_an_item_whose_article_quote_is_not_in_the_article():
    if not ARTICLE.exists():
        pytest.skip(f"{ARTICLE} is not beside this checkout")
    facts = dict(CONTENT.facts)
    facts["insurance_varies"] = replace(facts["insurance_varies"],
                                        article_says="check with your insurer")
    assert "NOT FOUND in the article" in render(replace(CONTENT, facts=facts))


def test_sheet_marks_text_over_its_reading_grade():
    facts = dict(CONTENT.facts)
    facts["recovery_time"] = replace(
        facts["recovery_time"],
        text="Symptomatic exacerbations of lumbar pathology characteristically necessitate "
             "considerable convalescence before functional restoration is achieved.")
    page = render(replace(CONTENT, facts=facts))
    row = re.search(r"facts\.recovery_time.*?</tr>", page, re.S).group(0)
    assert "class='n bad'" in row


def test_make_review_sheet_writes_html_and_pdf(tmp_path):
    if not shutil.which("chromium"):
        pytest.skip("Chromium is not installed (make test installs it)")
    assert review_sheet.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "review-sheet.html").stat().st_size > 10_000
    pdf = (tmp_path / "review-sheet.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_the_sheet_shows_every_text_in_english_and_spanish_for_the_translator():
    spanish = load_content(language="es")
    lists = yaml.safe_load((ROOT / "content" / "medical.yml").read_text(encoding="utf-8"))[
        "red_flags"]["spanish"]
    page = review_sheet.render(CONTENT, None, "abc1234", spanish, lists)
    assert "Translator&#x27;s sign-off" in page or "Translator's sign-off" in page
    assert "not yet reviewed by a qualified translator" in page
    assert html.escape(spanish.disclaimer.text, quote=True) in page
    assert html.escape(CONTENT.disclaimer.text, quote=True) in page
    assert html.escape(lists["groups"]["cauda_equina"]["phrases"][0], quote=True) in page
