"""The chat page's web server answers only for its own files, whatever the method."""

import http.client

import pytest

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def web(stack):
    stack.start_web()
    return stack


def request(stack, method: str, path: str):
    connection = http.client.HTTPConnection("127.0.0.1", stack.web_port, timeout=10)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("path", ["/var/tracker.db", "/.env", "/../", "/..%2f.env",
                                  "/content/medical.yml", "/scripts/serve_web.py",
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
