"""Coding a stored report again, after its date or language was corrected."""

from __future__ import annotations

from datetime import date

from sitrep.ingest._batch import Extractor, load_extractor
from sitrep.link.store import Incidents
from sitrep.models import SUPPORTED_LANGUAGES
from sitrep.store import Store
from sitrep.store.review import NotFoundError, Reextraction, Reviews


def reextract_report(
    store: Store,
    report_id: str,
    *,
    user: str,
    published: date | None = None,
    language: str | None = None,
    discard_unmatched: bool = False,
    extractor: Extractor | None = None,
) -> Reextraction:
    """Extract a stored report again with a corrected date and/or language and replace its
    events, keeping the analysts' reviews, corrections and audit trail
    (`Reviews.replace_events` says how). Fields not given keep their stored values; the
    extractor is the one `sitrep extract` uses (`load_extractor`)."""
    stored = store.get_report(report_id)
    if stored is None:
        raise NotFoundError(
            f"no report {report_id!r} in the database; `sitrep events` lists event ids, "
            "whose part before the last '-' is the report id"
        )
    update: dict[str, object] = {}
    if published is not None:
        update["published"] = published
    if language is not None:
        update["language"] = language.strip().lower()
    report = stored.report.model_copy(update=update)
    if report.language is not None and report.language not in SUPPORTED_LANGUAGES:
        reason = f"written in {report.language!r}, which the pipeline does not code"
        return Reviews(store).replace_events(
            report,
            [],
            user=user,
            status="unsupported_language",
            error=reason,
            discard_unmatched=discard_unmatched,
        )
    events = (extractor or load_extractor())(report)
    outcome = Reviews(store).replace_events(
        report, events, user=user, discard_unmatched=discard_unmatched
    )
    Incidents(store).link_pending()  # the new events join incidents, as on ingest
    return outcome
