"""The chat page's web server answers only for its own files, whatever the method."""

import html
import http.client

import pytest

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def web(stack):
    stack.start_web()
    return stack


def request(stack, method: str, path: str, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", stack.web_port, timeout=10)
    connection.request(method, path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path", ["/var/tracker.db", "/.env", "/../", "/..%2f.env",
                                  "/content/medical.yml", "/scripts/operate/serve_web.py",
                                  "/models/backcare.tar.gz", "/web/index.html"])
def test_files_outside_the_list_are_not_found(web, method, path):
    status, body = request(web, method, path)
    assert status == 404
    assert b"BACKCARE" not in body and b"sender_id" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_other_methods_are_refused(web, method):
    assert request(web, method, "/")[0] in (404, 405, 501)


def test_the_page_answers_get_and_head_alike(web):
    get_status, body = request(web, "GET", "/")
    head_status, head_body = request(web, "HEAD", "/")
    assert get_status == head_status == 200
    assert b"<html" in body.lower() and head_body == b""


def test_the_page_shows_the_reviewed_urgent_line_with_the_emergency_number(web):
    from actions import CLINIC, CONTENT
    from actions.text import fill
    status, body = request(web, "GET", "/")
    page = body.decode()
    assert status == 200 and "{{" not in page
    banner = fill(CONTENT.notices["web_banner"], CLINIC)
    assert f">{banner}</p>" in page.replace("&#x27;", "'")
    assert f"call {CLINIC.emergency_number} now" in page.lower()


@pytest.mark.parametrize("path, headers", [
    ("/?lang=es", {}), ("/", {"Accept-Language": "es-US,es;q=0.9,en;q=0.8"})])
def test_the_page_speaks_spanish_to_a_spanish_browser_or_link(web, path, headers):
    from actions import CLINIC
    from actions.content import load_content
    from actions.text import fill
    status, body = request(web, "GET", path, headers)
    page = html.unescape(body.decode())
    assert status == 200 and '<html lang="es">' in page and "{{" not in page
    assert fill(load_content(language="es").notices["web_banner"], CLINIC) in page
    assert "Escriba su pregunta" not in page  # the input's hint comes with config.js
    _, config = request(web, "GET", "/config.js?lang=es")
    assert '"language": "es"' in config.decode()
    assert "Escriba su pregunta" in config.decode().encode().decode("unicode_escape")
    assert 'href="/?lang=en"' in page  # and back to English


def test_an_english_browser_gets_the_english_page(web):
    status, body = request(web, "GET", "/", {"Accept-Language": "en-US,en;q=0.9"})
    page = body.decode()
    assert '<html lang="en">' in page and 'href="/?lang=es"' in page
