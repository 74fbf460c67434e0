"""Serve BackCare's chat page and the locally stored widget (no CDN).

/config.js is generated from the environment, so the Rasa server's address
is configuration: BACKCARE_SOCKET_URL (default http://localhost:$RASA_PORT).
The page's urgent line is the reviewed ``notices.web_banner`` from
content/medical.yml, with the clinic's emergency number.

The page speaks English or Spanish (its words in web/page.yml): ``?lang=es``,
else the browser's Accept-Language. The widget sends the page's language with
every message, so the conversation starts in it (actions/disclaimer.py).
"""

import argparse
import html
import json
import os
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import cast

import yaml

from actions import CLINIC, CONTENT
from actions.content import Content
from actions.language import InLanguage
from actions.text import fill

CONTENT_BY_LANGUAGE = cast(InLanguage[Content], CONTENT)

ROOT = Path(__file__).resolve().parents[2]
FILES = {
    "/page.css": (ROOT / "web" / "page.css", "text/css; charset=utf-8"),
    "/backcare-widget.js": (ROOT / "web" / "backcare-widget.js", "text/javascript"),
    "/rasa-webchat.js": (ROOT / "build" / "web" / "rasa-webchat.js", "text/javascript"),
}


PAGE_TEXT = yaml.safe_load((ROOT / "web" / "page.yml").read_text(encoding="utf-8"))
LANGUAGES = tuple(PAGE_TEXT)


def page_language(query: str, accept_language: str) -> str:
    """"es" or "en": ``lang=`` in the query, else the first language the browser accepts."""
    asked = urllib.parse.parse_qs(query).get("lang", [""])[0][:2].lower()
    if asked in LANGUAGES:
        return asked
    for part in (accept_language or "").split(","):
        code = part.strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return "en"


def page(language: str = "en") -> bytes:
    """The chat page in one language, with the reviewed urgent line filled in."""
    words = dict(PAGE_TEXT[language], lang=language, web_banner=fill(
        CONTENT_BY_LANGUAGE.version(language).notices["web_banner"], CLINIC))
    text = (ROOT / "web" / "index.html").read_text(encoding="utf-8")
    for name, value in words.items():
        text = text.replace("{{ %s }}" % name, html.escape(" ".join(str(value).split())))
    return text.encode()


def socket_url() -> str:
    """Where the browser reaches the Rasa server's socket.io channel.

    "same-origin" (behind the production proxy): the page's own address, "".
    """
    default = f"http://localhost:{os.environ.get('RASA_PORT') or '5005'}"
    configured = os.environ.get("BACKCARE_SOCKET_URL") or default
    return "" if configured == "same-origin" else configured


class Handler(BaseHTTPRequestHandler):
    """Serves only the allow-listed files (GET and HEAD), with a strict security policy.

    A BaseHTTPRequestHandler, not SimpleHTTPRequestHandler: nothing answers
    for files outside the list (var/tracker.db, .env), whatever the method.
    """

    server_version = "BackCare"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        """Answer a GET for an allow-listed file, or 404."""
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 (http.server naming)
        """The same answer as GET, without the body."""
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        path, _, query = self.path.partition("?")
        language = page_language(query, self.headers.get("Accept-Language", ""))
        if path == "/config.js":
            words = PAGE_TEXT[language]
            body = ("window.BACKCARE_CONFIG = " + json.dumps({
                "socketUrl": socket_url(), "language": language,
                "subtitle": words["subtitle"], "placeholder": words["placeholder"]})
                + ";\n").encode()
            return self._send(body, "text/javascript", with_body)
        if path in ("/", "/index.html"):
            return self._send(page(language), "text/html; charset=utf-8", with_body)
        if path not in FILES:
            return self.send_error(404)
        file, kind = FILES[path]
        return self._send(file.read_bytes(), kind, with_body)

    def _send(self, body: bytes, kind: str, with_body: bool = True) -> None:
        origin = socket_url()
        ws = origin.replace("http", "ws", 1)  # both empty for the same origin ('self')
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self'; connect-src 'self' {origin} {ws}; "
            "img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'",
        )
        self.end_headers()
        if with_body:
            self.wfile.write(body)


def main() -> None:
    """Serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    args = parser.parse_args()
    ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
