"""The app factory: nothing happens at import; `create_app` opens the store and wires routes."""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import FastAPI, Request, Response
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import RequestResponseEndpoint

from sitrep.ingest import Extractor, load_extractor
from sitrep.store import REVIEW_STATUSES, Store
from sitrep.store.accounts import Accounts
from sitrep.store.review import Reviews, SourceCipher
from sitrep.store.server_state import LoginFailures
from sitrep.web._limits import BodySizeLimit
from sitrep.web._static import LoggedInStaticFiles
from sitrep.web._throttle import LoginThrottle, ThrottlePolicy
from sitrep.web._uploads import UploadJobs
from sitrep.web.deps import REVIEW_FILTERS, Services
from sitrep.web.errors import install_error_handlers
from sitrep.web.routes import (
    accounts_page,
    actors,
    auth,
    events,
    export,
    incidents,
    map,
    pages,
    places,
    reports,
    timeline,
    uploads,
)
from sitrep.web.settings import Settings

_HERE = Path(__file__).parent
#: Front-end package files served under /assets/<name>, from web/assets/node_modules.
ASSET_FOLDERS = {
    "leaflet": "leaflet/dist",
    "topojson-client": "topojson-client/dist",
    "world-atlas": "world-atlas",
    "swagger-ui": "swagger-ui-dist",
    "leaflet.markercluster": "leaflet.markercluster/dist",
}
#: Paths whose answers hold no report data, so browsers may cache them.
_CACHEABLE_PREFIXES = ("/static/", "/assets/")
#: The only static file served without a login: the login page's style sheet.
PUBLIC_STATIC = frozenset({"sitrep.css"})


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    extractor: Extractor | None = None,
) -> FastAPI:
    """The workspace over `settings.db` (or the given store); `extractor` defaults to the
    pipeline, so tests and other models can be injected."""
    settings = settings or Settings()
    store = store or Store(settings.db)
    secret = settings.secret_key.get_secret_value() if settings.secret_key else None
    reviews = Reviews(store, SourceCipher(secret) if secret else None)
    extractor = extractor or load_extractor()
    services = Services(
        settings=settings,
        store=store,
        accounts=Accounts(store),
        reviews=reviews,
        extractor=extractor,
        templates=_templates(settings),
        uploads=UploadJobs(store, reviews, extractor),
        throttle=LoginThrottle(
            LoginFailures(store),
            ThrottlePolicy(
                per_user=settings.login_failures_per_user,
                per_address=settings.login_failures_per_address,
            ),
        ),
    )
    app = FastAPI(
        title="sitrep",
        summary="Review, correct, map and export conflict events extracted from reports.",
        version="1",
        # The schema and its docs need a login too: served by routes/pages.py.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.services = services
    install_error_handlers(app)
    for router in (
        auth.router,
        events.router,
        reports.router,
        export.router,
        map.router,
        timeline.router,
        places.router,
        actors.router,
    ):
        app.include_router(router)
    app.include_router(incidents.api)
    app.include_router(uploads.api)
    app.include_router(pages.router)
    app.include_router(incidents.router)
    app.include_router(uploads.router)
    app.include_router(accounts_page.router)
    app.mount(
        "/static",
        LoggedInStaticFiles(directory=_HERE / "static", public=PUBLIC_STATIC),
        name="static",
    )
    for name, folder in ASSET_FOLDERS.items():
        # check_dir=False: without `npm ci` the pages still work, the map says what is missing.
        app.mount(
            f"/assets/{name}",
            LoggedInStaticFiles(directory=settings.assets_dir / folder, check_dir=False),
            name=f"assets-{name}",
        )
    app.middleware("http")(_security_headers)
    app.add_middleware(BodySizeLimit, limit=settings.max_upload_bytes)
    return app


def _templates(settings: Settings) -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_HERE / "templates"),
        autoescape=True,  # report text is untrusted: everything is escaped
        undefined=jinja2.StrictUndefined,
    )
    templates = Jinja2Templates(env=environment)
    templates.env.globals["tile_url"] = settings.tile_url
    templates.env.globals["review_statuses"] = REVIEW_STATUSES
    templates.env.globals["review_filters"] = REVIEW_FILTERS
    templates.env.filters["counted"] = counted
    # Reports in these languages are shown right to left.
    templates.env.globals["rtl_languages"] = ("ar", "fa", "he", "ur", "ps", "ckb")
    return templates


async def _security_headers(request: Request, call_next: RequestResponseEndpoint) -> Response:
    """A strict content policy: scripts only from this server, never inline."""
    response = await call_next(request)
    tiles = ""
    services: Services = request.app.state.services
    if services.settings.tile_url:
        tiles = " " + _origin(services.settings.tile_url)
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src 'self' data:{tiles}; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    # Pages and answers may show confidential contacts: never kept by a browser or a proxy
    # (the static files and front-end packages may be).
    if not request.url.path.startswith(_CACHEABLE_PREFIXES):
        response.headers.setdefault("Cache-Control", "no-store")
    if request.url.scheme == "https":
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 report", "3 reports", "1 fatality": a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural or noun + 's'}"


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}"
