"""The analyst workspace: a REST API and web pages over the event store (`sitrep serve`).

    >>> app = create_app(Settings(db="sqlite:///sitrep.db"))

Routes live in `web/routes/` (one module per concern); what they depend on (the store,
who is asking, the filters of a request) in `deps.py`; the mapping of SitrepError to HTTP
status codes in `errors.py`. Front-end packages (Leaflet, Natural Earth boundaries, Swagger
UI) come from npm: `npm ci --prefix src/sitrep/web/assets`.
"""

from sitrep.web.app import create_app
from sitrep.web.settings import Settings

__all__ = ["Settings", "create_app"]
