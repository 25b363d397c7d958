"""The read-only HTTP API (FastAPI) and the page that shows it.

Every endpoint is a GET: nothing here writes to the store. Queries are parameterized; sorting takes only
names from each list's whitelist; page sizes and query lengths are capped. CORS is off (no middleware adds
it), and every response forbids framing and inline scripts, so text from articles, which is untrusted,
can only ever be shown as text.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep import __version__, settings
from sitrep.errors import SitrepError
from sitrep.store import Store, open_store
from sitrep.store.base import MARK_END, MARK_START, Page

MAX_LIMIT = 200
MAX_QUERY = 200
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

# list name -> {sort key: ORDER BY clause}; the first key is the default
SORTS: dict[str, dict[str, str]] = {
    "articles": {"-id": "a.id DESC", "id": "a.id", "-published": "a.published DESC, a.id DESC",
                 "published": "a.published, a.id", "title": "a.title, a.id"},
    "figures": {"-id": "f.id DESC", "id": "f.id", "-date": "f.date DESC, f.id DESC", "date": "f.date, f.id",
                "-high": "coalesce(f.high, f.low) DESC, f.id", "place": "f.place, f.category, f.id"},
    "quotes": {"-id": "q.id DESC", "id": "q.id", "speaker": "q.speaker, q.id",
               "-published": "a.published DESC, q.id DESC"},
    "events": {"-id": "e.id DESC", "id": "e.id", "-date": "e.date DESC, e.id DESC", "date": "e.date, e.id",
               "-fatalities": "coalesce(e.fatalities, 0) DESC, e.id DESC"},
    "places": {"-mentions": "mentions DESC, p.name", "-articles": "articles DESC, p.name", "name": "p.name"},
    "actors": {"-mentions": "mentions DESC, x.name", "-articles": "articles DESC, x.name", "name": "x.name"},
    "stories": {"-last_date": "s.last_date DESC, s.id DESC", "first_date": "s.first_date, s.id",
                "-articles": "articles DESC, s.id", "id": "s.id"},
}

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size (at most {MAX_LIMIT})")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Text = Annotated[str | None, Query(max_length=MAX_QUERY)]
Day = Annotated[str | None, Query(max_length=10, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                  description="YYYY, YYYY-MM or YYYY-MM-DD")]


# URL folder under /vendor -> folder of npm's node_modules (see frontend/package.json)
VENDOR = {"leaflet": "leaflet/dist", "markercluster": "leaflet.markercluster/dist", "topojson": "topojson-client/dist",
          "uplot": "uplot/dist", "world-atlas": "world-atlas"}


def assets_dir() -> Path:
    """The node_modules folder holding the page's libraries; a clear error when they are not installed."""
    configured = settings.get("assets")
    folder = Path(configured).expanduser() if configured else Path(__file__).resolve().parents[3] / "frontend" / \
        "node_modules"
    missing = [f for f in VENDOR.values() if not (folder / f).is_dir()]
    if missing:
        raise SitrepError(f"{folder}: the page's libraries are not installed ({', '.join(missing)} missing); run "
                          "`make .venv/bin/sitrep` (npm ci in frontend/) or set SITREP_ASSETS", "E501")
    return folder


AGGREGATE_TTL = 30.0  # seconds a process reuses an aggregate (actors, stories, reconciled, places since a day)


def _json(data: Any) -> Response:
    """A JSON response encoded once here (the rows are plain JSON already; no model validation)."""
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str),
                    media_type="application/json")


class _Aggregates:
    """Aggregate lists group every row of a table, so each server process keeps each answer for
    ``AGGREGATE_TTL`` seconds; lists of rows and search always read the store."""

    def __init__(self, ttl: float = AGGREGATE_TTL) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._items: dict[tuple, tuple[float, bytes]] = {}

    def get(self, key: tuple, make: Callable[[], Any]) -> Response:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
        if hit is None or hit[0] <= now:
            hit = (now + self.ttl, _json(make()).body)
            with self._lock:
                if len(self._items) > 1000:
                    self._items.clear()
                self._items[key] = hit
        return Response(hit[1], media_type="application/json")


def _page(kind: str, sort: str | None, limit: int, offset: int) -> Page:
    choices = SORTS[kind]
    key = sort or next(iter(choices))
    if key not in choices:
        raise HTTPException(422, f"sort must be one of: {', '.join(choices)}")
    return Page(choices[key], limit, offset)


def _listing(rows: list[dict[str, Any]], page: Page) -> dict[str, Any]:
    return {"items": rows, "limit": page.limit, "offset": page.offset,
            "next_offset": page.offset + page.limit if len(rows) == page.limit else None}


class SecurityHeaders:
    """ASGI middleware adding SECURITY_HEADERS to every response (plain ASGI: no per-request task)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in self.extra if k not in have]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Stores(threading.local):
    """One store connection per server thread (an SQLite connection must stay in its thread)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.store: Store | None = None

    def get(self) -> Store:
        if self.store is None:
            self.store = open_store(self.location)
            self.store.read_only()
        return self.store


def create_app(location: str) -> FastAPI:
    """The API and page over the store at ``location`` (an SQLite path or a ``postgresql://`` URL)."""
    open_store(location).close()  # fail now, with a clear message, if the store cannot be opened
    stores = _Stores(location)
    aggregates = _Aggregates()
    app = FastAPI(title="sitrep", version=__version__, description=__doc__,
                  openapi_tags=[{"name": "facts"}, {"name": "search"}])

    app.add_middleware(SecurityHeaders)

    def db() -> Store:
        return stores.get()

    # Lists of rows, one article and search answer in a few milliseconds: they run on the event loop
    # (no thread hand-offs); aggregates (places since a day, actors, stories, reconciled) may take longer
    # and run in the thread pool, each thread with its own connection.

    @app.get("/api/articles", tags=["facts"])
    async def articles(since: Day = None, outlet: Text = None, story: int | None = None, sort: str | None = None,
                       limit: Limit = 50, offset: Offset = 0) -> Response:
        """Articles (without text), newest first by default."""
        page = _page("articles", sort, limit, offset)
        return _json(_listing(db().articles(since=since, outlet=outlet, story=story, page=page), page))

    @app.get("/api/articles/{article_id}", tags=["facts"])
    async def article(article_id: int) -> Response:
        """One article: its text and everything sitrep found in it, with character offsets."""
        row = db().article(article_id)
        if row is None:
            raise HTTPException(404, f"no article {article_id}")
        return _json(row)

    @app.get("/api/figures", tags=["facts"])
    async def figures(place: Text = None, category: Text = None, source: Text = None, since: Day = None,
                      sort: str | None = None, limit: Limit = 50, offset: Offset = 0) -> Response:
        """Figures (killed, displaced, in need, ...) with their source, modality, date and place."""
        page = _page("figures", sort, limit, offset)
        return _json(_listing(db().figures(place=place, category=category, source=source, since=since,
                                           page=page), page))

    @app.get("/api/figures/reconciled", tags=["facts"])
    def reconciled(place: Text = None, category: Text = None, since: Day = None,
                   period: Annotated[str, Query(pattern="^(month|week|all)$")] = "month") -> Response:
        """Per place, category and period: every estimate by source, the spread, the conservative and the
        central figure (repeated figures counted once)."""
        from sitrep.reconcile import reconcile

        return aggregates.get(("reconciled", place, category, since, period), lambda: {
            "groups": reconcile(db(), place=place, category=category, since=since, period=period)})

    @app.get("/api/quotes", tags=["facts"])
    async def quotes(speaker: Text = None, kind: Text = None, since: Day = None, sort: str | None = None,
                     limit: Limit = 50, offset: Offset = 0) -> Response:
        """Direct and indirect quotes with their speakers."""
        page = _page("quotes", sort, limit, offset)
        return _json(_listing(db().quotes(speaker=speaker, kind=kind, since=since, page=page), page))

    @app.get("/api/events", tags=["facts"])
    async def events(place: Text = None, type: Text = None, since: Day = None, story: int | None = None,
                     sort: str | None = None, limit: Limit = 50, offset: Offset = 0) -> Response:
        """Events with ACLED-style type and sub-type, actors, place and date."""
        page = _page("events", sort, limit, offset)
        return _json(_listing(db().events(place=place, type=type, since=since, story=story, page=page), page))

    @app.get("/api/places", tags=["facts"])
    def places(place: Text = None, since: Day = None, sort: str | None = None, limit: Limit = 50,
               offset: Offset = 0) -> Response:
        """Places named in the articles, resolved to GeoNames, with how often they are named."""
        page = _page("places", sort, limit, offset)
        if since is None:  # from the store's running totals
            return _json(_listing(db().places(place=place, page=page), page))
        return aggregates.get(("places", place, since, page),
                              lambda: _listing(db().places(place=place, since=since, page=page), page))

    @app.get("/api/actors", tags=["facts"])
    def actors(name: Text = None, kind: Text = None, since: Day = None, sort: str | None = None,
               limit: Limit = 50, offset: Offset = 0) -> Response:
        """Actors (armed groups, forces, agencies, people) with how often they are named."""
        page = _page("actors", sort, limit, offset)
        return aggregates.get(("actors", name, kind, since, page),
                              lambda: _listing(db().actors(name=name, kind=kind, since=since, page=page), page))

    @app.get("/api/stories", tags=["facts"])
    def stories(place: Text = None, type: Text = None, since: Day = None, sort: str | None = None,
                limit: Limit = 50, offset: Offset = 0) -> Response:
        """The same event told by several articles, once each."""
        page = _page("stories", sort, limit, offset)
        return aggregates.get(("stories", place, type, since, page),
                              lambda: _listing(db().stories(place=place, type=type, since=since, page=page), page))

    @app.get("/api/search", tags=["search"])
    async def search(q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)], limit: Limit = 20,
                     offset: Offset = 0) -> Response:
        """Full-text search of articles (best first; in ``snippet`` the matched words sit between the
        control characters ``mark_start`` and ``mark_end``), and the figures, quotes and events whose words
        contain every word of ``q``."""
        page = Page(limit=limit, offset=offset)
        found = db().search(q, page, facts=limit if offset == 0 else 0)
        return _json({"q": q, "mark_start": MARK_START, "mark_end": MARK_END,
                      "articles": _listing(found["articles"], page), "figures": found.get("figures", []),
                      "quotes": found.get("quotes", []), "events": found.get("events", [])})

    @app.get("/api/health", include_in_schema=False)
    async def health() -> Response:
        return _json({"ok": True, "articles": db().count("articles")})

    static = resources.files("sitrep.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    modules = assets_dir()
    for route, folder in VENDOR.items():  # only each library's distributed files, nothing else of node_modules
        app.mount(f"/vendor/{route}", StaticFiles(directory=str(modules / folder)), name=f"vendor-{route}")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(str(static / "index.html"), media_type="text/html")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    return app


def from_env() -> FastAPI:
    """The app over the store named by ``SITREP_SERVE_DB``: the factory uvicorn's worker processes call."""
    import os

    return create_app(os.environ["SITREP_SERVE_DB"])
