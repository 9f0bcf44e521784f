"""The analyst workspace: a REST API and web pages over the event store (`sitrep serve`).

    >>> app = create_app(Settings(db="sqlite:///sitrep.db"))

Routes live in `web/routes/` (one module per concern); what they depend on (the store,
who is asking, the filters of a request) in `deps.py`; the mapping of SitrepError to HTTP
status codes in `errors.py`. Front-end packages (Leaflet, Natural Earth boundaries, Swagger
UI) come from npm: `npm ci --prefix src/sitrep/web/assets`.

Access: users and roles (viewer, analyst, admin) and API tokens are managed with `sitrep
users add`, `sitrep tokens create|list|revoke`, or by admins over /api/users and
/api/tokens; a revoked token is refused (401) from its next request on.

Settings (`Settings`, or the environment): SITREP_DB (database URL), SITREP_SECRET_KEY
(encrypts confidential source contacts; without it they are refused), SITREP_TILE_URL (an
XYZ tile server for online use; offline the map draws packaged Natural Earth boundaries),
SITREP_COOKIE_SECURE (default true), SITREP_SESSION_HOURS (12), SITREP_MAX_UPLOAD_BYTES
(5 MB), SITREP_ASSETS_DIR (where `npm ci` put the front-end packages).

Worker processes: `sitrep serve --workers N` runs N processes, each building its app with
`create_app()` from those variables. Nothing a request reads is kept in one process:
sessions, failed logins and upload jobs are database rows (store/accounts.py,
store/server_state.py), so any worker may answer any request.
"""

from sitrep.web.app import create_app
from sitrep.web.settings import Settings

__all__ = ["Settings", "create_app"]
