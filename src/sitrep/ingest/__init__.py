"""Reading reports from files, folders and stdin, and running batches into the store.

    >>> items = read_paths(["reports/", "wire.csv"], IngestOptions(date=date(2015, 11, 20)))
    >>> summary = run_batch(items, Store("sqlite:///sitrep.db"))

Formats: .txt; .html/.htm (the article's main text, by trafilatura, with the page's title,
stated date, URL and site name); .json (an object or a list of objects); .jsonl (one
object per line); .csv (one report per row); a folder (recursive; files of other formats
are listed as skipped); "-" for stdin (HTML or text). In JSON and CSV the text is in
`text` (or `IngestOptions.text_column`), with optional `date`, `title`, `source`, `url`,
`language` fields. Each Report's `origin` says where it came from ("wire.csv#row=12").

Decoding: UTF-8 (or a byte order mark's encoding), else the encoding charset-normalizer
detects, else UTF-8 with replacement characters; empty files and binary data are refused.

Size: a document over `max_bytes` of text (5 MB by default; `--max-bytes` or
SITREP_MAX_BYTES) is refused with a message naming the limit, never truncated. .txt,
.html and .json files and stdin are read whole, so the limit bounds the memory they take;
.csv and .jsonl files are streamed and may be of any size.

Dates: ISO dates are read directly, others with dateparser ("20 November 2015",
"11/20/15"); a date must carry its year. A numeric date whose first two numbers could each
be the month ("03/04/2016") is read by the source's convention (day first unless the source
or site writes month first: `sitrep.events.dates.date_order`) with a warning. A date that cannot be read is not a failure: the
report is kept without a date (so its events are flagged undated) and a warning says so.

Language: py3langid (its model ships in the package) sets `Report.language` when it is
confident; reports in a language the pipeline does not code are stored with status
"unsupported_language" and get no events.

Problems never end a batch: each is an `IngestIssue` ("failed", "skipped" or "warning")
with a one-line reason, collected in the `BatchSummary`; so is a report that raises anything
while it is coded, or takes longer than its time budget (`--time-budget`,
SITREP_TIME_BUDGET, 300 s by default). The extractor defaults to
`sitrep.pipeline.extract_report`; SITREP_EXTRACTOR="module:function" replaces it.
"""

from sitrep.ingest._batch import (
    EXTRACTOR_ENV,
    BatchSummary,
    Extractor,
    load_extractor,
    run_batch,
)
from sitrep.ingest._budget import (
    DEFAULT_TIME_BUDGET,
    TIME_BUDGET_ENV,
    TimeBudgetExceeded,
    time_budget_from_env,
    within_budget,
)
from sitrep.ingest._dates import parse_report_date
from sitrep.ingest._decode import decode_text
from sitrep.ingest._language import detect_language
from sitrep.ingest._readers import STDIN, find_inputs, read_input, read_paths
from sitrep.ingest._records import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    IngestIssue,
    IngestOptions,
)
from sitrep.ingest._reextract import reextract_report

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIME_BUDGET",
    "EXTRACTOR_ENV",
    "MAX_BYTES_ENV",
    "STDIN",
    "TIME_BUDGET_ENV",
    "BatchSummary",
    "Extractor",
    "IngestIssue",
    "IngestOptions",
    "TimeBudgetExceeded",
    "decode_text",
    "detect_language",
    "find_inputs",
    "load_extractor",
    "parse_report_date",
    "read_input",
    "read_paths",
    "reextract_report",
    "run_batch",
    "time_budget_from_env",
    "within_budget",
]
