"""The staff console in headless Chromium, on conversations a real BackCare stack just had.

Five conversations go through the REST channel (a red flag, a message not
understood, a finished and a dropped walk-through, a request for a person);
a staff member then signs in, filters escalations, opens, tags and reviews the
transcript, reads the funnel and exports CSV. axe-core checks each page.
"""

import csv
import os
import subprocess
import sys
import uuid

import httpx
import pytest

from backcare_stack.stack import ROOT, free_port, wait_for
from tests.test_web_widget import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

pytestmark = pytest.mark.server

AXE = ROOT / "build" / "axe" / "axe.min.js"
PASSWORD = "correct horse battery"
RUN = uuid.uuid4().hex[:6]
TALKS = {
    f"redflag-{RUN}": ["hello", "motorbike accident last week, now lower back pain"],
    f"confused-{RUN}": ["hello", "\U0001F937\U0001F937\U0001F937"],
    f"guide-done-{RUN}": ["walk me through it", "none of these", "yes", "Swedish massage",
                          "yes", "yes", "yes"],
    f"guide-dropped-{RUN}": ["walk me through it", "none of these"],
    f"human-{RUN}": ["hello", "can I talk to a real person?"],
}


@pytest.fixture(scope="module")
def console(stack, tmp_path_factory):
    if not AXE.exists():
        pytest.fail("axe-core is missing: make install fetches it")
    for sender, messages in TALKS.items():
        for message in messages:
            stack.say(sender, message)
    env = {**stack.env, "BACKCARE_TRACKER_DB": stack.env["BACKCARE_TRACKER_DB"]}
    made = subprocess.run([sys.executable, "scripts/operate/staff_user.py", "nurse", "--stdin"],
                          input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT,
                          env=env)
    assert made.returncode == 0, made.stderr
    port = free_port()
    log = tmp_path_factory.mktemp("console") / "console.log"
    process = subprocess.Popen([sys.executable, "scripts/operate/console.py", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/login", process, log, seconds=60)
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def page(console):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: sudo apt-get install chromium (README, Prerequisites)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        # axe is injected as a script tag: the console's CSP would refuse it otherwise.
        context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                      bypass_csp=True, accept_downloads=True)
        yield context.new_page()
        browser.close()


def serious_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"console-{name}.png"), full_page=True)


def test_patient_side_cannot_reach_the_console(stack, console):
    for path in ("/", "/dashboard", "/conversation?id=x", "/audit"):
        assert httpx.get(console + path).status_code == 303  # to the sign-in page
        assert httpx.get(stack.url + path.replace("/", "/console/", 1)).status_code == 404
    assert httpx.post(console + "/export").status_code == 401


def test_staff_review_in_the_browser(page, console, tmp_path):
    page.goto(console + "/")
    assert page.url.endswith("/login")
    page.fill("#username", "nurse")
    page.fill("#password", "not it")
    page.click("button[type=submit]")
    assert "Wrong username or password" in page.inner_text("[role=alert]")
    page.fill("#username", "nurse")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Conversations')")

    # Escalations only.
    page.check("input[name=escalated]")
    page.click("text=Apply filters")
    page.wait_for_url("**escalated=1**")
    listed = page.inner_text("table.inbox")
    assert f"redflag-{RUN}" in listed
    for other in ("confused", "guide-done", "guide-dropped", "human"):
        assert f"{other}-{RUN}" not in listed
    shot(page, "inbox")
    assert serious_violations(page) == []

    # The transcript: the red-flag turn is highlighted; tag it and mark it reviewed.
    page.click(f"text=redflag-{RUN}")
    page.wait_for_selector("h2:has-text('Transcript')")
    flagged = page.inner_text(".turn.red-flag")
    assert "motorbike accident" in flagged and "urgent advice given" in flagged
    assert "report_red_flag" in flagged
    page.fill("#tag", "called back")
    page.click("text=Add tag")
    page.click("text=Mark as reviewed")
    page.wait_for_selector("text=Reviewed by nurse")
    assert "called back" in page.inner_text(".tags")
    shot(page, "transcript")
    assert serious_violations(page) == []

    # The other conversations: a fallback and a request for a person are found too.
    page.goto(console + "/?fallback=1")
    assert f"confused-{RUN}" in page.inner_text("main")
    page.goto(console + "/?human=1")
    assert f"human-{RUN}" in page.inner_text("main")

    # The funnel: two walk-throughs started, one finished all six steps.
    page.goto(console + "/dashboard")
    rows = page.locator("section:has(#chart-funnel) tbody tr")
    first = rows.nth(0).inner_text().split("\t")
    last = rows.nth(5).inner_text().split("\t")
    assert int(first[1]) >= 2 and int(last[2]) >= 1, (first, last)
    assert page.locator("svg[aria-labelledby=chart-funnel] rect").count() >= 12
    shot(page, "dashboard")
    assert serious_violations(page) == []

    # Export the reviewed, tagged escalation as CSV (no message text unless ticked).
    page.goto(console + "/?escalated=1&tag=called+back")
    with page.expect_download() as download:
        page.click("text=Download CSV")
    path = tmp_path / "export.csv"
    download.value.save_as(path)
    rows_out = list(csv.DictReader(path.open()))
    assert [r["conversation_id"] for r in rows_out] == [f"redflag-{RUN}"]
    assert rows_out[0]["tags"] == "called back" and rows_out[0]["reviewed_by"] == "nurse"
    assert "what_the_person_said" not in rows_out[0]
    page.goto(console + "/audit")
    audit = page.inner_text("table")
    assert "open_conversation" in audit and "export" in audit
    shot(page, "audit")
    assert os.path.getsize(SCREENSHOTS / "console-dashboard.png") > 10_000
