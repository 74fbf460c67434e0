"""The console's web app (Sanic): login, inbox, transcript, dashboard, export, audit log.

Every page needs a signed-in staff member; every POST needs the session's CSRF
token. Nothing here logs message text: Sanic's access log (which would show
search words in URLs) is off, and the audit log stores IDs and choices only.
"""

import csv
import io
import logging
import secrets
import time
from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import urlencode

import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from backcare_console import auth, facts, queries, schema
from backcare_console.charts import bars
from backcare_console.transcript import turns

HERE = Path(__file__).resolve().parent
COOKIE = "backcare_console"
LOGIN_COOKIE = "backcare_console_login"
OPEN_PATHS = ("/login", "/static/", "/favicon.ico")
MAX_TAG = 40
MAX_NOTE = 2000
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
logger = logging.getLogger(__name__)


def create_app(engine: Engine, name: str = "backcare_console") -> Sanic:
    """The console on this database (its tables must exist: schema.connect())."""
    app = Sanic(name)
    app.config.FALLBACK_ERROR_FORMAT = "text"
    markers = facts.load_markers()
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    templates.filters["when"] = queries.iso
    templates.filters["percent"] = lambda value: f"{value * 100:.1f}%"
    app.static("/static", str(HERE / "static"))

    def page(request: Request, template: str, status: int = 200, **values: Any) -> HTTPResponse:
        html = templates.get_template(template).render(
            user=getattr(request.ctx, "session", None), path=request.path, **values)
        return response.html(html, status=status)

    def refreshed() -> None:
        with engine.begin() as connection:
            changed = facts.refresh(connection, markers)
        if changed:
            logger.info("console: %d conversation(s) updated from the tracker store", changed)

    @app.on_request
    async def require_session(request: Request) -> Optional[HTTPResponse]:
        request.ctx.session = None
        if request.path.startswith(OPEN_PATHS):
            return None
        with engine.connect() as connection:
            request.ctx.session = auth.session(connection, request.cookies.get(COOKIE))
        if request.ctx.session is None:
            if request.method in ("GET", "HEAD"):
                return response.redirect("/login", status=303)
            return response.text("Sign in first.", status=401)
        if request.method == "POST" and not auth.csrf_ok(
                request.ctx.session.csrf, request.form.get("csrf_token")):
            return response.text("Missing or wrong form token: reload the page.", status=403)
        return None

    @app.on_response
    async def security_headers(request: Request, resp: HTTPResponse) -> None:
        for header, value in HEADERS.items():
            resp.headers.setdefault(header, value)
        logger.info("%s %s %s", request.method, request.path, resp.status)

    def secure(request: Request) -> bool:
        return request.scheme == "https" or request.headers.get(
            "x-forwarded-proto", "").lower() == "https"

    def set_cookie(request: Request, resp: HTTPResponse, name: str, value: str,
                   max_age: int) -> None:
        resp.cookies[name] = value
        cookie = resp.cookies[name]
        cookie["httponly"] = True
        cookie["samesite"] = "Strict"
        cookie["path"] = "/"
        cookie["max-age"] = max_age
        if secure(request):
            cookie["secure"] = True

    @app.get("/favicon.ico")
    async def favicon(request: Request) -> HTTPResponse:
        return response.empty(status=404)

    @app.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        # Kept while it lasts: a second tab, or the browser's own requests, must not
        # invalidate the form already shown.
        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)
        resp = page(request, "login.html", csrf=token, error=None)
        set_cookie(request, resp, LOGIN_COOKIE, token, 3600)
        return resp

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        expected = request.cookies.get(LOGIN_COOKIE) or ""
        if not expected or not auth.csrf_ok(expected, request.form.get("csrf_token")):
            return response.text("Missing or wrong form token: reload the page.", status=403)
        error = None
        with engine.begin() as connection:
            try:
                token = auth.login(connection, request.form.get("username", ""),
                                   request.form.get("password", ""))
            except auth.LoginRefused as refused:
                error = str(refused)
        if error:
            fresh = secrets.token_urlsafe(32)
            resp = page(request, "login.html", status=401, csrf=fresh, error=error)
            set_cookie(request, resp, LOGIN_COOKIE, fresh, 3600)
            return resp
        resp = response.redirect("/", status=303)
        set_cookie(request, resp, COOKIE, token, auth.SESSION_SECONDS)
        del resp.cookies[LOGIN_COOKIE]
        return resp

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        with engine.begin() as connection:
            auth.logout(connection, request.cookies.get(COOKIE) or "")
        resp = response.redirect("/login", status=303)
        del resp.cookies[COOKIE]
        return resp

    @app.get("/")
    async def inbox(request: Request) -> HTTPResponse:
        refreshed()
        filters = queries.Filters.from_args(request.args)
        page_number = _int(request.args.get("page"), 1)
        with engine.connect() as connection:
            rows, total = queries.inbox(connection, filters, page_number)
            options = queries.choices(connection)
        query = filters.query_string()
        pages = max(1, -(-total // queries.PAGE_SIZE))
        return page(request, "inbox.html", rows=rows, total=total, filters=filters,
                    options=options, steps=queries.STEPS, page_number=page_number,
                    pages=pages, query=query, link=lambda **extra: "?" + urlencode(
                        {**query, **{k: v for k, v in extra.items() if v}}),
                    pretty=facts.pretty_category)

    @app.get("/conversation")
    async def conversation(request: Request) -> HTTPResponse:
        sender_id = request.args.get("id") or ""
        with engine.begin() as connection:
            events = facts.conversation_events(connection, sender_id)
            if not events:
                return page(request, "missing.html", status=404, sender_id=sender_id)
            auth.record(connection, request.ctx.session.username, "open_conversation",
                        sender_id)
            details = _details(connection, sender_id)
        return page(request, "conversation.html", sender_id=sender_id, turns=turns(events),
                    **details)

    @app.post("/conversation/review")
    async def review(request: Request) -> HTTPResponse:
        sender_id = request.form.get("id") or ""
        reviewed = request.form.get("reviewed") == "1"
        r = schema.reviews
        with engine.begin() as connection:
            connection.execute(r.delete().where(r.c.sender_id == sender_id))
            if reviewed:
                connection.execute(r.insert().values(
                    sender_id=sender_id, reviewed_by=request.ctx.session.username,
                    reviewed_at=time.time()))
            auth.record(connection, request.ctx.session.username,
                        "review" if reviewed else "unreview", sender_id)
        return _back(sender_id)

    @app.post("/conversation/tag")
    async def tag(request: Request) -> HTTPResponse:
        sender_id = request.form.get("id") or ""
        name = " ".join((request.form.get("tag") or "").lower().split())[:MAX_TAG]
        remove = request.form.get("remove") == "1"
        t = schema.tags
        with engine.begin() as connection:
            if name:
                connection.execute(t.delete().where(t.c.sender_id == sender_id, t.c.tag == name))
                if not remove:
                    connection.execute(t.insert().values(sender_id=sender_id, tag=name))
                auth.record(connection, request.ctx.session.username,
                            "untag" if remove else "tag", sender_id, tag=name)
        return _back(sender_id)

    @app.post("/conversation/note")
    async def note(request: Request) -> HTTPResponse:
        sender_id = request.form.get("id") or ""
        text = (request.form.get("note") or "").strip()[:MAX_NOTE]
        with engine.begin() as connection:
            if text:
                connection.execute(schema.notes.insert().values(
                    sender_id=sender_id, author=request.ctx.session.username,
                    at=time.time(), text=text))
                auth.record(connection, request.ctx.session.username, "note", sender_id)
        return _back(sender_id)

    @app.get("/dashboard")
    async def dashboard(request: Request) -> HTTPResponse:
        refreshed()
        filters = queries.Filters.from_args(request.args)
        with engine.connect() as connection:
            numbers = queries.dashboard(connection, filters.start, filters.end)
        charts = {
            "per_day": bars("chart-per-day", [(d, [n]) for d, n in numbers["per_day"]]),
            "categories": bars("chart-categories",
                               [(c, [n]) for c, n in numbers["escalations_by_category"]]),
            "funnel": bars("chart-funnel", [(s, [r, c]) for s, r, c in numbers["funnel"]],
                           series=("Reached", "Completed")),
            "topics": bars("chart-topics", [(t, [n]) for t, n in numbers["topics"]]),
        }
        return page(request, "dashboard.html", numbers=numbers, charts=charts, filters=filters)

    @app.post("/export")
    async def export(request: Request) -> HTTPResponse:
        filters = queries.Filters.from_args(request.form)
        with_text = request.form.get("with_text") == "1"
        refreshed()
        with engine.begin() as connection:
            header, rows = queries.export_rows(connection, filters, with_text)
            auth.record(connection, request.ctx.session.username, "export", None,
                        conversations=len(rows), with_text=with_text,
                        filters=filters.query_string())
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        return response.text(buffer.getvalue(), content_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition":
                                      f'attachment; filename="backcare-{stamp}.csv"'})

    @app.get("/audit")
    async def audit(request: Request) -> HTTPResponse:
        with engine.connect() as connection:
            entries = auth.audit_log(connection)
        return page(request, "audit.html", entries=entries)

    return app


def _details(connection: Any, sender_id: str) -> Dict[str, Any]:
    """Review state, tags and notes of one conversation."""
    r, t, n = schema.reviews.c, schema.tags.c, schema.notes.c
    review = connection.execute(sa.select(r.reviewed_by, r.reviewed_at).where(
        r.sender_id == sender_id)).first()
    tags = [row[0] for row in connection.execute(
        sa.select(t.tag).where(t.sender_id == sender_id).order_by(t.tag))]
    notes = connection.execute(sa.select(n.author, n.at, n.text).where(
        n.sender_id == sender_id).order_by(n.id)).mappings().all()
    return {"review": review, "tags": tags, "notes": notes}


def _back(sender_id: str) -> HTTPResponse:
    return response.redirect("/conversation?" + urlencode({"id": sender_id}), status=303)


def _int(value: Optional[str], default: int) -> int:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100000 else default
