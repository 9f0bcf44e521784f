"""Uploads coded in the background: start one (POST /api/uploads, the upload form's fields,
answered 202 with a job id at once), follow it (GET /api/uploads/{job_id}: n of N reports
coded, each failure named), and see its result (/uploads/{job_id})."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from sitrep.store import IngestChannel
from sitrep.web._ingest import UploadFormDep
from sitrep.web._uploads import UploadStatus
from sitrep.web.deps import AnalystDep, ServicesDep
from sitrep.web.routes.pages import render

api = APIRouter(prefix="/api/uploads", tags=["reports"])
router = APIRouter(include_in_schema=False)


@api.post("", response_model=UploadStatus, status_code=status.HTTP_202_ACCEPTED)
async def start_upload(
    principal: AnalystDep, services: ServicesDep, form: UploadFormDep
) -> UploadStatus:
    """Read the upload (a file, with its column mapping, or pasted text) and code its reports
    in the background; a file that cannot be read at all is refused here (422)."""
    items = await form.reports(services.settings.max_upload_bytes)
    # A browser session is the upload page's script; an API token, a program.
    via: IngestChannel = "web" if principal.csrf_token is not None else "api"
    return services.uploads.start(items, by=principal.user, source_contact=form.contact, via=via)


@api.get("/{job_id}", response_model=UploadStatus)
def upload_status(job_id: str, principal: AnalystDep, services: ServicesDep) -> UploadStatus:
    """How far the upload's coding has come; its reports and events once done."""
    return services.uploads.status(job_id, principal.user)


@router.get("/uploads/{job_id}")
def upload_result_page(
    job_id: str, request: Request, principal: AnalystDep, services: ServicesDep
) -> Response:
    job = services.uploads.status(job_id, principal.user)
    return render(
        request,
        services,
        principal,
        "upload.html",
        {"error": job.error, "result": job.result, "job": job},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT if job.state == "failed" else 200,
    )
