"""Write the clinical review sheet: every patient-facing medical text, for sign-off.

``make review-sheet`` writes reports/review-sheet.html and, with Chromium,
reports/review-sheet.pdf. Each item shows its key in content/medical.yml, the
text as a patient reads it, its source, the article sentence it paraphrases
(for items citing the article, looked up in the article so a reviewer can
compare them) and its reading grade, with blank fields for the reviewer's
decision and comments. A sign-off block and the words that trigger urgent
advice close the sheet.
"""

import argparse
import datetime
import html
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

import textstat
import yaml

from actions.catalog import (
    ARTICLE,
    ARTICLE_SOURCE,
    Entry,
    article_sentences,
    patient_facing,
    sentence_for,
)
from actions.content import DEFAULT_CONTENT_PATH, Content, load_content, setting_path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def grade(text: str) -> float:
    """Flesch-Kincaid grade of a text (textstat 0.7.3, offline)."""
    return float(textstat.flesch_kincaid_grade(text))


NORMAL_INFLESZ, URGENT_INFLESZ = 55, 65  # INFLESZ "normal", and "fairly easy" for urgent advice


def inflesz(text: str) -> float:
    """Szigriszt-Pazos readability of a Spanish text, read on the INFLESZ scale.

    55-65 "normal", 65-80 "bastante fácil". textstat 0.7.3's Spanish syllable
    counter undercounts hiatus ("día", "agua": one syllable each), which lifts
    the score a little (docs/content.md says by how much).
    """
    textstat.set_lang("es")
    try:
        return float(textstat.szigriszt_pazos(text))
    finally:
        textstat.set_lang("en_US")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _phrases(phrases: List[str]) -> str:
    return _esc(" · ".join(phrases))


def _source_cell(content: Content, entry: Entry, sentences: Optional[List[str]]) -> str:
    source = content.sources[entry.source]
    cell = f"<div><code>{_esc(entry.source)}</code> ({_esc(source['date'])})</div>"
    if entry.source != ARTICLE_SOURCE:
        return cell
    if sentences is None:
        found = "<em>article not available here: not checked</em>"
    else:
        sentence = sentence_for(entry.article_says, sentences) if entry.article_says else None
        found = (f"&ldquo;{_esc(sentence)}&rdquo;" if sentence
                 else "<strong class='bad'>NOT FOUND in the article</strong>")
    return cell + f"<div class='quote'>Article: {found}</div>"


def spanish_section(content: Content, spanish: Content, spanish_lists: Dict[str, Any]) -> str:
    """Every text in English and Spanish side by side, the translator's sign-off, the words."""
    translation = content.review.translation
    status = (f"approved by {_esc(translation.translator_name)} "
              f"({_esc(translation.translator_qualification)}) on {translation.reviewed_on}"
              if translation.approved else "draft: not yet reviewed by a qualified translator")
    english = {entry.key: entry for entry in patient_facing(content)}
    rows = []
    for number, entry in enumerate(patient_facing(spanish), 1):
        score = inflesz(entry.shown)
        low = NORMAL_INFLESZ if not entry.urgent else URGENT_INFLESZ
        rows.append(
            f"<tr><td class='n'>{number}</td><td><code>{_esc(entry.key)}</code></td>"
            f"<td>{_esc(english[entry.key].shown)}</td><td lang='es'>{_esc(entry.shown)}</td>"
            f"<td class='n{' bad' if score < low else ''}'>{score:.0f}<br><small>min {low}"
            "</small></td><td class='decide'>&#9744; Approve<br>&#9744; Change</td>"
            "<td class='notes'></td></tr>")
    groups = "".join(
        f"<h3>{_esc(spanish.red_flags[gid].label)}</h3>"
        f"<p class='phrases' lang='es'><strong>Escalate at once:</strong> "
        f"{_phrases(group.get('phrases') or [])}</p>"
        f"<p class='phrases' lang='es'><strong>Ask first:</strong> "
        f"{_phrases(group.get('possible_phrases') or [])}</p>"
        for gid, group in spanish_lists.get("groups", {}).items() if gid in spanish.red_flags)
    asking = [" ".join(words) for words in
              (spanish_lists.get("grammar") or {}).get("just_asking") or []]
    return f"""<h2>Spanish translation ({len(rows)} texts)</h2>
<p>Status: <strong>{status}</strong>. For a qualified medical translator (for example CHI or
CCHI certified): check that each Spanish text says exactly what the English says, in plain US
Spanish with "usted". Readability is the INFLESZ scale of the Szigriszt-Pazos index (55 or more,
65 for urgent advice). When every text is approved, sign below; the BackCare team then sets
<code>meta.translation.status: approved</code> with your name, qualification and the date.
Until then, with <code>BACKCARE_ENV=production</code>, Spanish speakers read the English
medical text and are told why in Spanish.</p>
<table><colgroup><col class="n"><col class="key"><col style="width:25%"><col style="width:25%">
<col class="grade"><col class="decide"><col class="notes"></colgroup>
<thead><tr><th>#</th><th>Key</th><th>English</th><th>Spanish</th><th>INFLESZ</th>
<th>Decision</th><th>Comments</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<h2>Translator's sign-off</h2>
<table class="sign"><tbody>
<tr><th>Translator's name</th><td></td></tr><tr><th>Qualification (certification and number)</th>
<td></td></tr><tr><th>Decision</th><td>&#9744; Approved as printed &nbsp;
&#9744; Approved with the changes marked &nbsp; &#9744; Not approved</td></tr>
<tr><th>Date reviewed</th><td></td></tr><tr><th>Signature</th><td></td></tr></tbody></table>
<h2>Appendix: Spanish words that trigger urgent advice</h2>
<p>Read in lower case without accents; each word also in its other forms. For the translator
and the clinician together.</p>
<p class="phrases" lang="es"><strong>Everyday phrases that never trigger:</strong>
{_phrases(spanish_lists.get("benign_phrases") or [])}</p>
<p class="phrases" lang="es"><strong>Only asking (an emergency sign asked about in general, or
passed on from what was read or heard, gets the check question first, not the emergency
advice):</strong> {_phrases(asking)}</p>
{groups}
"""


def render(content: Content, sentences: Optional[List[str]], commit: str,
           spanish: Optional[Content] = None,
           spanish_lists: Optional[Dict[str, Any]] = None) -> str:
    """The whole sheet as one HTML document (with the Spanish part when given)."""
    entries = patient_facing(content)
    review = content.review
    status = ("approved by " + _esc(f"{review.reviewer_name} ({review.reviewer_role})")
              + f" on {review.reviewed_on}; next review due {review.next_review_due}"
              if review.approved else "draft: not yet clinically reviewed")
    rows = []
    for number, entry in enumerate(entries, 1):
        score = grade(entry.shown)
        over = " bad" if score > entry.grade_limit else ""
        urgent = " <span class='tag'>urgent</span>" if entry.urgent else ""
        rows.append(
            f"<tr><td class='n'>{number}</td>"
            f"<td><code>{_esc(entry.key)}</code>{urgent}</td>"
            f"<td>{_esc(entry.shown)}</td>"
            f"<td>{_source_cell(content, entry, sentences)}</td>"
            f"<td class='n{over}'>{score:.1f}<br><small>max {entry.grade_limit}</small></td>"
            "<td class='decide'>&#9744; Approve<br>&#9744; Change<br>&#9744; Remove</td>"
            "<td class='notes'></td></tr>"
        )
    sources = "".join(
        f"<tr><td><code>{_esc(key)}</code></td><td>{_esc(s['title'])}</td>"
        f"<td>{_esc(s['publication'])}</td><td>{_esc(s['date'])}</td>"
        f"<td>{_esc(s.get('url', '-'))}</td></tr>"
        for key, s in content.sources.items()
    )
    triggers = "".join(
        f"<h3>{_esc(group.label)} <small>({_esc(group.urgency)})</small></h3>"
        f"<p class='phrases'><strong>Escalate at once:</strong> {_phrases(group.phrases)}</p>"
        f"<p class='phrases'><strong>Ask first:</strong> {_phrases(group.possible_phrases)}</p>"
        + (f"<p class='phrases'><strong>A fever as a number:</strong> from "
           f"{group.temperature['celsius']} &deg;C / {group.temperature['fahrenheit']} &deg;F "
           f"next to: {_phrases(group.temperature['words'])}</p>" if group.temperature else "")
        for group in content.red_flags.values()
    )
    everyday = (
        "<p class='phrases'><strong>Passed or everyday cause (ask first instead of "
        f"advising):</strong> {_phrases(content.resolved_phrases)}</p>"
        "<p class='phrases'><strong>Someone else's sign, not the writer's (not asked "
        f"about):</strong> {_phrases(content.not_the_writer_phrases)}</p>"
        "<p class='phrases'><strong>Read as the word they stand for:</strong> "
        + _esc("; ".join(f"{', '.join(v)} = {k}" for k, v in content.sound_alikes.items()))
        + "; " + _esc("; ".join(f"{k} = {v}" for k, v in content.emoji_words.items()))
        + ". Also one-letter typos of words of five letters or more, unless the typo is a "
        "common word.</p>")
    benign = _phrases(content.benign_phrases)
    today = datetime.date.today().isoformat()
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>BackCare clinical review sheet</title>
<style>
@page {{ size: Letter; margin: 14mm 12mm; }}
body {{ font: 10pt/1.35 system-ui, sans-serif; color: #111; }}
h1 {{ font-size: 16pt; margin: 0 0 4pt; }} h2 {{ font-size: 12.5pt; margin: 14pt 0 4pt; }}
h3 {{ font-size: 10.5pt; margin: 8pt 0 2pt; }}
table {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
col.n {{ width: 5%; }} col.key {{ width: 15%; }} col.text {{ width: 32%; }}
col.src {{ width: 19%; }} col.grade {{ width: 7%; }} col.decide {{ width: 10%; }}
col.notes {{ width: 12%; }}
td {{ overflow-wrap: anywhere; }}
th, td {{ border: 1px solid #999; padding: 3pt 4pt; vertical-align: top; text-align: left; }}
th {{ background: #eee; }} tr {{ page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
td.n {{ text-align: right; }} .bad {{ color: #b3261e; font-weight: bold; }}
td.decide {{ font-size: 8.5pt; }}
.quote {{ margin-top: 3pt; font-size: 9pt; color: #333; font-style: italic; }}
.tag {{ background: #b3261e; color: #fff; font-size: 8pt; padding: 0 3pt; }}
.phrases {{ font-size: 8pt; margin: 2pt 0; }} code {{ font-size: 8.5pt; }}
.sign td {{ height: 22pt; }} .sign th {{ width: 28%; }}
</style></head><body>
<h1>BackCare clinical review sheet</h1>
<p>Content file <code>content/medical.yml</code> at commit <code>{_esc(commit)}</code>,
printed {today}. Status: <strong>{status}</strong>.</p>
<p><strong>How to review.</strong> Read each item as a patient would. For each, tick a decision
and write any change in Comments. Items citing the Harvard article show the article sentence they
paraphrase: check that the item says no more than that sentence. Reading grade is Flesch-Kincaid
(limit 8, or 6 for urgent advice). When every item is approved, sign below; the BackCare team then
sets <code>meta.status: approved</code> with your name, role, the date and the next review date
(at most 36 months later). Until then, BackCare tells patients its content has not been
clinically reviewed, and refuses to start in production.</p>
<h2>Sources</h2>
<table><colgroup><col style="width:14%"><col style="width:26%"><col style="width:24%">
<col style="width:10%"><col style="width:26%"></colgroup>
<thead><tr><th>Id</th><th>Title</th><th>Publisher</th><th>Date</th><th>Web address</th></tr></thead>
<tbody>{sources}</tbody></table>
<h2>Every patient-facing item ({len(entries)})</h2>
<table><colgroup><col class="n"><col class="key"><col class="text"><col class="src">
<col class="grade"><col class="decide"><col class="notes"></colgroup>
<thead><tr><th>#</th><th>Key</th><th>Text as the patient reads it</th><th>Source</th>
<th>Grade</th><th>Decision</th><th>Comments</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>
<h2>Sign-off</h2>
<table class="sign"><tbody>
<tr><th>Reviewer's name</th><td></td></tr><tr><th>Role and license number</th><td></td></tr>
<tr><th>Decision</th><td>&#9744; Approved as printed &nbsp;
&#9744; Approved with the changes marked &nbsp; &#9744; Not approved</td></tr>
<tr><th>Date reviewed</th><td></td></tr>
<tr><th>Next review due (at most 36 months)</th><td></td></tr>
<tr><th>Signature</th><td></td></tr></tbody></table>
<h2>Appendix: words that trigger urgent advice</h2>
<p>BackCare matches these in what people type (also in other word forms), unless negated
("no fever"). &ldquo;Escalate at once&rdquo; sends the group's advice; &ldquo;Ask first&rdquo;
asks the group's check question. Word pairs in one sentence (<code>paired_phrases</code> in
the content file) also count. Everyday phrases that never trigger:</p>
<p class="phrases">{benign}</p>
{everyday}
{triggers}
{spanish_section(content, spanish, spanish_lists or {}) if spanish else ""}
</body></html>
"""


def commit_id() -> str:
    """The current commit, so a signed sheet names the content it covers."""
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                             capture_output=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "content/medical.yml"],
                               cwd=ROOT, text=True, capture_output=True, timeout=10).stdout
        return out.stdout.strip() + (" (content edited since)" if dirty.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def print_pdf(page: Path, pdf: Path) -> bool:
    """Print the HTML to PDF with headless Chromium; False when there is none."""
    browser = next((shutil.which(name) for name in CHROMIUM if shutil.which(name)), None)
    if browser is None:
        return False
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return pdf.exists() and pdf.stat().st_size > 0


def main(argv: Optional[List[str]] = None) -> int:
    """Write the HTML, then the PDF; say where."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--no-pdf", action="store_true", help="HTML only")
    args = parser.parse_args(argv)
    content = load_content()
    spanish = load_content(language="es")
    raw = yaml.safe_load(setting_path("BACKCARE_CONTENT", DEFAULT_CONTENT_PATH).read_text(
        encoding="utf-8"))
    spanish_lists = raw["red_flags"].get("spanish") or {}
    sentences = article_sentences(ARTICLE) if ARTICLE.exists() else None
    if sentences is None:
        print(f"warning: {ARTICLE} not found; article sentences not checked", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    page = args.out / "review-sheet.html"
    page.write_text(render(content, sentences, commit_id(), spanish, spanish_lists),
                    encoding="utf-8")
    print(f"Review sheet: {page}")
    if args.no_pdf:
        return 0
    pdf = args.out / "review-sheet.pdf"
    if not print_pdf(page, pdf):
        print("error: no Chromium to print the PDF (make review-sheet installs it)",
              file=sys.stderr)
        return 1
    print(f"PDF for signing: {pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

