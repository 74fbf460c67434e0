"""The web chat page in a real browser (Debian's Chromium driven by Playwright)."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "reports" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# No background traffic: this machine has no network beyond package registries.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def browser_page(stack):
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: sudo apt-get install chromium (README, Prerequisites)")
    stack.start_web()
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 1400})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs
        yield page
        browser.close()


def messages(page) -> str:
    return page.inner_text(".rw-messages-container")


def send(page, text: str) -> None:
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")


def test_conversation_in_the_browser(browser_page, stack):
    page = browser_page
    page.goto(stack.web_url)
    page.wait_for_selector("text=not a doctor", timeout=60_000)
    page.wait_for_selector("text=I'm BackCare", timeout=60_000)

    # Accessible: labelled controls and a live region for new messages.
    assert page.get_attribute(".rw-new-message", "aria-label") == "Your message to BackCare"
    assert page.get_attribute(".rw-messages-container", "aria-live") == "polite"

    send(page, "Does massage help back pain?")
    page.wait_for_selector("text=get back to normal activities sooner", timeout=30_000)
    # The answer cites its source (the widget shows messages one after another).
    page.wait_for_selector("text=Massage can help back pain sufferers", timeout=30_000)
    # A person can look at it: disclaimer, greeting, answer and source in one picture.
    page.add_style_tag(content="#backcare-chat { height: 62rem; }")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-chat-answer.png"))

    # A reply button, operated with the keyboard alone.
    send(page, "what kinds of massage are there?")
    button = page.locator(".rw-reply", has_text="Shiatsu").last
    button.wait_for(timeout=30_000)
    button.focus()
    page.keyboard.press("Enter")
    # Only the one-type answer carries this source line (the list above does not).
    page.wait_for_selector("text=Source: General descriptions", timeout=30_000)

    # The conversation survives a reload (socket.io session persistence).
    page.reload()
    page.wait_for_selector("text=get back to normal activities sooner", timeout=30_000)
    assert "Source: General descriptions" in messages(page)

    # Markup typed by a person is shown as text, never run.
    attack = "<img src=x onerror=alert(1)>"
    send(page, attack)
    page.wait_for_function(
        "t => document.querySelector('.rw-messages-container').innerText.includes(t)",
        arg=attack, timeout=30_000)
    page.wait_for_selector("text=/outside what I know|say it another way/", timeout=30_000)
    assert page.locator(".rw-messages-container img[src='x']").count() == 0
    assert page.dialogs == []

    page.screenshot(path=str(SCREENSHOTS / "web-chat.png"), full_page=True)
    text = messages(page)
    assert re.search(r"not a doctor.*normal activities sooner", text, re.S)


def test_a_spanish_walk_through_in_the_browser(browser_page, stack):
    """A Spanish browser: Spanish page, disclaimer, and every walk-through step in Spanish."""
    from actions.content import load_content

    spanish = load_content(language="es")
    # A new visitor: a browser context of its own, with nothing stored from the test above
    # (clearing storage on a live page races the widget, which writes its session back).
    context = browser_page.context.browser.new_context(viewport={"width": 900, "height": 1400})
    page = context.new_page()
    page.goto(stack.web_url + "/?lang=es")
    page.wait_for_selector(f"text={spanish.disclaimer.text[:40]}", timeout=60_000)
    assert page.get_attribute("html", "lang") == "es"
    assert page.get_attribute(".rw-new-message", "placeholder") == "Escriba su pregunta..."
    send(page, "quiero que me guie paso a paso para probar un masaje")
    page.wait_for_selector("text=¿Le pasa alguna de estas cosas?", timeout=30_000)
    for answer, next_question in (
            ("ninguna", "¿Un médico le confirmó"), ("sí", "¿Qué tipo le gustaría probar?"),
            ("masaje sueco", "¿Ya verificó que su terapeuta"),
            ("sí", "¿Le va a preguntar a su terapeuta"), ("sí", "¿Ya sabe si su seguro")):
        send(page, answer)
        page.wait_for_selector(f"text={next_question}", timeout=30_000)
    send(page, "sí")
    page.wait_for_selector("text=Este es su plan", timeout=30_000)
    # The widget renders the plan's numbered lines as a Markdown list: the number is
    # drawn by the list, not part of the text.
    last_line = spanish.plan["provider_insurance_done"].split(". ", 1)[1][:30]
    page.wait_for_function(
        "t => document.querySelector('.rw-messages-container').innerText.includes(t)",
        arg=last_line, timeout=30_000)
    shown = messages(page)
    assert "Masaje sueco" in shown  # the plan names the chosen massage in Spanish
    # ... and the list draws the step's number (the widget's own stylesheet drew bullets).
    markers = page.eval_on_selector_all(
        ".rw-conversation-container ol",
        "lists => lists.map(l => [getComputedStyle(l).listStyleType, l.start])")
    assert ["decimal", 2] in markers and ["decimal", 5] in markers, markers
    assert "Has a doctor confirmed" not in shown and "Which kind would you like" not in shown
    page.add_style_tag(content="#backcare-chat { height: 90rem; }")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-chat-spanish-walk-through.png"), full_page=True)
    context.close()
